// `npm run audit:verify`: recomputes the audit chain of the database in DATABASE_URL.

import { verifyAuditChain } from "../audit";
import { createDb } from "../client";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL 未设置 / DATABASE_URL is not set (npm start prints it)");
  process.exit(2);
}
const handle = createDb({ url, max: 1 });
const result = await verifyAuditChain(handle.db);
await handle.close();
if (result.ok) {
  console.log(`审计链完整 / audit chain intact: ${result.count} records`);
} else {
  console.error(
    `审计链在第 ${result.brokenAt} 条断开 / audit chain broken at record ${result.brokenAt}: ${result.reason}`,
  );
  process.exit(1);
}
