// Migrates the database in DATABASE_URL and loads the demo data (idempotent). Used by `npm start`.
import { writeFileSync } from "node:fs";
import { createDb, DEMO_PASSWORD, demoLogins, seedDemo, seedDemoPanels } from "@titles/db";
import { createLocalFileStore } from "@titles/db/files";
import { buildMissingDossiers } from "../app/dossiers/build.server";
import { env } from "../app/env.server";
import { hashPassword } from "../app/services/passwords.server";
import { seedConfirmedDemoApplications, seedDemoApplication, seedDemoMeeting } from "./demo-application";

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
// The demo meeting's applicants get their dossiers now rather than at the job's first pass.
await buildMissingDossiers(
  { db: handle.db, files: createLocalFileStore(config.FILES_DIR), now: () => new Date(), log: console.log },
  50,
);
await handle.close();
const out = process.argv[2];
if (out) writeFileSync(out, JSON.stringify({ password: DEMO_PASSWORD, logins: demoLogins }, null, 2));
console.log("[seed] 数据库已迁移并载入演示数据 / database migrated and demo data loaded");
