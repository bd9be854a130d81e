// Migrates the database in DATABASE_URL and loads the demo data (idempotent). Used by `npm start`.
import { writeFileSync } from "node:fs";
import { createDb, DEMO_PASSWORD, demoLogins, seedDemo, seedDemoDecisions, seedDemoPanels } from "@titles/db";
import { createLocalFileStore } from "@titles/db/files";
import { buildMissingDossiers } from "../app/dossiers/build.server";
import { env } from "../app/env.server";
import { hashPassword } from "../app/services/passwords.server";
import { seedConfirmedDemoApplications, seedDemoApplication, seedDemoMeeting } from "./demo-application";
import { DEMO_COMPLAINT_PHONE, seedDemoResults } from "./demo-results";

const config = env();
const handle = createDb({ url: config.DATABASE_URL, max: 2 });
await handle.migrate();
await seedDemo(handle.db, { hashPassword, lookupKey: config.LOOKUP_HASH_KEY, now: new Date() });
await seedDemoApplication(
  handle.db,
  createLocalFileStore(config.FILES_DIR),
  config.LOOKUP_HASH_KEY,
  new Date(),
);
await seedConfirmedDemoApplications(
  handle.db,
  createLocalFileStore(config.FILES_DIR),
  config.LOOKUP_HASH_KEY,
  new Date(),
);
await seedDemoMeeting(handle.db, config.LOOKUP_HASH_KEY, new Date());
await seedDemoPanels(handle.db, {
  lookupKey: config.LOOKUP_HASH_KEY,
  hashPassword,
  password: DEMO_PASSWORD,
  now: new Date(),
});
// The demo meetings' applicants get their dossiers now rather than at the job's first pass; before the
// results demo adds sixty decided senior applications, which the job builds later in the background.
await buildMissingDossiers(
  { db: handle.db, files: createLocalFileStore(config.FILES_DIR), now: () => new Date(), log: console.log },
  50,
);
await seedDemoDecisions(handle.db, {
  lookupKey: config.LOOKUP_HASH_KEY,
  hashPassword,
  password: DEMO_PASSWORD,
  now: new Date(),
});
const results = await seedDemoResults(handle.db, createLocalFileStore(config.FILES_DIR), config, new Date());
if (results) {
  console.log(
    `[seed] 演示投诉编号 / demo complaint: ${results.complaintReference}（联系电话 / phone ${DEMO_COMPLAINT_PHONE}，在 /complaints 查询）`,
  );
}
await handle.close();
const out = process.argv[2];
if (out) writeFileSync(out, JSON.stringify({ password: DEMO_PASSWORD, logins: demoLogins }, null, 2));
console.log("[seed] 数据库已迁移并载入演示数据 / database migrated and demo data loaded");
