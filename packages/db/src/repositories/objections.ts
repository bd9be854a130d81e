import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { encryptField } from "../field-crypto";
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
    // The contact is a person's name and phone: encrypted like the other phone numbers (decision 0016).
    const id = randomUUID();
    const contact = encryptField("employer_requests.contact", id, input.contact);
    const [row] = await db
      .insert(employerRequests)
      .values({ ...values, id, contact, createdAt: at })
      .returning({ id: employerRequests.id });
    return row!.id;
  },
};
