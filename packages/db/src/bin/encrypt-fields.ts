// `npm run db:encrypt`: encrypts in place the ID and phone numbers stored before decision 0016, and with
// `--rotate` re-encrypts everything under the newest key of DATA_ENCRYPTION_KEY (so an older key can be
// dropped afterwards). Idempotent; safe while the system runs.
import { createDb } from "../client";
import { parseFieldKeys } from "../field-crypto";
import { encryptFieldsAtRest } from "../field-crypto-migrate";

const url = process.env.DATABASE_URL;
const spec = process.env.DATA_ENCRYPTION_KEY;
if (!url || !spec) {
  console.error(
    "DATABASE_URL 与 DATA_ENCRYPTION_KEY 须设置 / DATABASE_URL and DATA_ENCRYPTION_KEY must be set",
  );
  process.exit(2);
}
const rotate = process.argv.includes("--rotate");
const handle = createDb({ url, max: 1 });
try {
  const keyring = parseFieldKeys(spec);
  const report = await encryptFieldsAtRest(handle.db, { keyring, rotate });
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `[encrypt] 已加密 ${total(report.encrypted)} 个明文值，已换新密钥 ${total(report.reencrypted)} 个；当前密钥 ${keyring.current.id} / ` +
      `encrypted ${total(report.encrypted)} plaintext values, re-encrypted ${total(report.reencrypted)}; current key ${keyring.current.id}`,
  );
} catch (error) {
  console.error(`[encrypt] 失败 / failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
