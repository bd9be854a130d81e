import { asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { employerRequests, objections } from "../schema";

export type ObjectionRecord = typeof objections.$inferSelect;

export const objectionRepository = {
  async insert(db: Db, input: Omit<ObjectionRecord, "id" | "createdAt"> & { at: Date }): Promise<void> {
    const { at, ...values } = input;
    await db.insert(objections).values({ ...values, createdAt: at });
  },

  async findForApplication(db: Db, applicationId: string): Promise<ObjectionRecord[]> {
    return db
      .select()
      .from(objections)
      .where(eq(objections.applicationId, applicationId))
      .orderBy(asc(objections.createdAt));
  },
};

export const employerRequestRepository = {
  async insert(
    db: Db,
    input: { applicantId: string; name: string; creditCode: string; contact: string; at: Date },
  ): Promise<string> {
    const { at, ...values } = input;
    const [row] = await db
      .insert(employerRequests)
      .values({ ...values, createdAt: at })
      .returning({ id: employerRequests.id });
    return row!.id;
  },
};
