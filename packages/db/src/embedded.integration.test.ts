import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, startEmbeddedServer } from "./embedded";

describe("embedded PGlite server", () => {
  let server: EmbeddedServer;
  let pool: pg.Pool;
  beforeAll(async () => {
    server = await startEmbeddedServer({ port: 0 });
    pool = new pg.Pool({ connectionString: server.url, max: 10 });
    await pool.query("create table counter (id int primary key, n int not null)");
    await pool.query("insert into counter values (1, 0)");
  });
  afterAll(async () => {
    await pool.end();
    await server.stop();
  });

  it("keeps each pooled connection's queries and transactions apart under concurrency", async () => {
    let mismatches = 0;
    const work = Array.from({ length: 300 }, async (_, i) => {
      if (i % 3 === 0) {
        const client = await pool.connect();
        try {
          await client.query("begin");
          const { rows } = await client.query("select n from counter where id = $1 for update", [1]);
          await client.query("update counter set n = $1 where id = 1", [rows[0].n + 1]);
          await client.query("commit");
        } finally {
          client.release();
        }
      } else {
        const { rows } = await pool.query("select $1::int as echo", [i]);
        if (rows[0]?.echo !== i) mismatches++;
      }
    });
    await Promise.all(work);
    expect(mismatches).toBe(0);
    const { rows } = await pool.query("select n from counter where id = 1");
    expect(rows[0].n).toBe(100);
  });
});
