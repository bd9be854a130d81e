import { sql } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDb } from "./client";
import { isDatabaseUnavailable } from "./unavailable";

describe("isDatabaseUnavailable", () => {
  it("is true for a database that cannot be reached, through drizzle's wrapping too", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const refused = await new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:1/none" })
      .connect()
      .catch((e: unknown) => e);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const handle = createDb({ url: "postgres://postgres@127.0.0.1:1/none", max: 1 });
    const wrapped = await handle.db.execute(sql`select 1`).catch((e: unknown) => e);
    await handle.close();
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it("is true for the server's shutdown and start-up codes, false for a wrong query or another error", async () => {
    for (const code of ["57P01", "57P03", "08006", "53300"])
      expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code }))).toBe(true);
    const handle = createDb();
    const wrong = await handle.db.execute(sql`select * from no_such_table`).catch((e: unknown) => e);
    await handle.close();
    expect(isDatabaseUnavailable(wrong)).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("something else"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
