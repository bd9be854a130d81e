// Migrates the database in DATABASE_URL and loads the demo data (idempotent). Used by `npm start`.
import { writeFileSync } from "node:fs";
import {
  createDb,
  DEMO_PASSWORD,
  demoLogins,
  encryptFieldsAtRest,
  fieldKeysFromConfig,
  installFieldKeys,
  seedDemo,
  seedDemoDecisions,
  seedDemoPanels,
} from "@titles/db";
import { createLocalFileStore } from "@titles/db/files";
import { maskPhone } from "@titles/domain";
import { buildMissingDossiers } from "../app/dossiers/build.server";
import { env } from "../app/env.server";
import { hashPassword } from "../app/services/passwords.server";
import { seedConfirmedDemoApplications, seedDemoApplication, seedDemoMeeting } from "./demo-application";
import { DEMO_COMPLAINT_PHONE, seedDemoResults } from "./demo-results";

const config = env();
const handle = createDb({ url: config.DATABASE_URL, max: 2 });
await handle.migrate();
// A checkout upgraded past decision 0016 still holds plaintext ID and phone numbers: encrypt them now.
installFieldKeys(fieldKeysFromConfig(config));
const sealed = await encryptFieldsAtRest(handle.db);
const sealedCount = Object.values(sealed.encrypted).reduce((a, b) => a + b, 0);
if (sealedCount > 0)
  console.log(`[seed] 已加密 ${sealedCount} 个明文证件号/手机号 / encrypted ${sealedCount} stored numbers`);
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
  // The log gets the phone masked (issue 8: no phone numbers in logs); `npm start` shows it whole on the
  // terminal from the logins file.
  console.log(
    `[seed] 演示投诉编号 / demo complaint: ${results.complaintReference}（联系电话 / phone ${maskPhone(DEMO_COMPLAINT_PHONE)}，在 /complaints 查询）`,
  );
}
await handle.close();
const out = process.argv[2];
if (out) {
  const complaint = results ? { reference: results.complaintReference, phone: DEMO_COMPLAINT_PHONE } : null;
  writeFileSync(out, JSON.stringify({ password: DEMO_PASSWORD, logins: demoLogins, complaint }, null, 2));
}
console.log("[seed] 数据库已迁移并载入演示数据 / database migrated and demo data loaded");
