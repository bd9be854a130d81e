// Demo result publicity and certificates (steps 8–9), made through the same services staff use, so the
// demo holds what the product would: 许静's batch has ended and her certificate is issued; the city
// bureau's senior batch is in publicity today with a complaint from the public to re-review; 宋佳 and
// 罗斌 have passed and wait for the agency to make their batch.
import { type Db, lookupHash, resultBatchRepository, roundRepository, userRepository } from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  addWorkingDays,
  defaultCalendar,
  isWorkingDay,
  levelsOfGroup,
  resultPublicityEnd,
  resultPublicityMinWorkingDays,
  shanghaiDate,
} from "@titles/domain";
import { issuerKey } from "../app/certificates/keys.server";
import type { Env } from "../app/env.server";
import type { Actor } from "../app/lib/auth.server";
import { processIssuances, startIssuance } from "../app/services/certificates.server";
import { fileComplaint } from "../app/services/complaints.server";
import { createBatch, finaliseBatches, publishBatch } from "../app/services/results.server";

/** The demo complaint's contact phone: with its reference it opens the follow-up page (/complaints). */
export const DEMO_COMPLAINT_PHONE = "13700000001";

async function actorOf(db: Db, lookupKey: string, phone: string): Promise<Actor | null> {
  const found = await userRepository.findCredentialsByLookupHash(db, lookupHash(lookupKey, phone));
  if (!found) return null;
  return { sessionId: "seed", user: found.user, roles: await userRepository.findRoles(db, found.user.id) };
}

function must<T>(result: { ok: true; value: T } | { ok: false; error: Error }, what: string): T {
  if (!result.ok) throw new Error(`[seed] ${what}: ${result.error.message}`);
  return result.value;
}

/** Idempotent: does nothing once any result batch exists. Returns the demo complaint's reference. */
export async function seedDemoResults(
  db: Db,
  files: FileStore,
  config: Pick<Env, "LOOKUP_HASH_KEY" | "PUBLIC_URL">,
  now: Date,
): Promise<{ complaintReference: string } | null> {
  if (!(await roundRepository.findActive(db))) return null;
  const agency = await actorOf(db, config.LOOKUP_HASH_KEY, "13800000005");
  const bureau = await actorOf(db, config.LOOKUP_HASH_KEY, "13800000011");
  if (!agency || !bureau) return null;
  if ((await resultBatchRepository.list(db, { agencyIds: null })).length > 0) return null;
  const today = shanghaiDate(now);
  const xu = await actorOf(db, config.LOOKUP_HASH_KEY, "13800000027");
  const candidates = await resultBatchRepository.candidates(db, {
    levels: levelsOfGroup("intermediate-junior"),
    series: ["engineering"],
  });
  const xuApp = candidates.find((c) => c.applicantId === xu?.user.id);

  // 许静: a batch published ten working days ago, whose five working days are over.
  if (xuApp) {
    const start = addWorkingDays(today, -10, defaultCalendar);
    const then = new Date(`${addWorkingDays(start, -1, defaultCalendar)}T10:00:00+08:00`);
    const batch = must(
      await createBatch(
        db,
        agency,
        {
          levelGroup: "intermediate-junior",
          title: "",
          publicityStart: start,
          publicityEnd: resultPublicityEnd(start, resultPublicityMinWorkingDays, defaultCalendar),
          applicationIds: [xuApp.applicationId],
        },
        then,
      ),
      "the ended demo batch",
    );
    must(
      await publishBatch(db, files, agency, batch.id, then, { publicUrl: config.PUBLIC_URL }),
      "publishing it",
    );
    await finaliseBatches(db, now, { batchId: batch.id });
    must(await startIssuance(db, bureau, batch.id, now), "issuing its certificate");
    await processIssuances({ db, files, key: issuerKey(), baseUrl: config.PUBLIC_URL }, now);
  }

  // The city bureau's senior batch, in publicity from today, with one complaint to re-review.
  const senior = await resultBatchRepository.candidates(db, {
    levels: ["senior", "deputy-senior"],
    series: null,
  });
  const passed = senior.filter((c) => c.result === "passed");
  if (passed.length === 0) return null;
  // Started on the latest working day (today, or Friday on a weekend), so complaints are open now.
  const start = isWorkingDay(today, defaultCalendar) ? today : addWorkingDays(today, -1, defaultCalendar);
  const opened = new Date(`${start}T08:00:00+08:00`);
  const batch = must(
    await createBatch(
      db,
      bureau,
      {
        levelGroup: "senior",
        title: "",
        publicityStart: start,
        publicityEnd: resultPublicityEnd(start, resultPublicityMinWorkingDays, defaultCalendar),
        applicationIds: passed.map((c) => c.applicationId),
      },
      opened,
    ),
    "the senior demo batch",
  );
  must(
    await publishBatch(db, files, bureau, batch.id, opened, { publicUrl: config.PUBLIC_URL }),
    "publishing it",
  );
  const entries = await resultBatchRepository.entries(db, batch.id);
  const target = entries.find((e) => e.listed && e.position === 3) ?? entries[0];
  if (!target) return null;
  const filed = must(
    await fileComplaint(
      { db, files, lookupKey: config.LOOKUP_HASH_KEY },
      {
        entryId: target.id,
        name: "李先生",
        phone: DEMO_COMPLAINT_PHONE,
        facts: `反映公示名单第3号${target.name}申报材料中所列代表性项目并非本人主持完成，请予以核查。`,
      },
      [],
      now,
    ),
    "the demo complaint",
  );
  return { complaintReference: filed.reference };
}
