// Rotates the certificate signing key (docs/operations.md). Run from apps/web:
//
//   DATABASE_URL=… CERTIFICATE_SIGNING_KEY=<new seed> npx tsx bin/rotate-signing-key.ts
//       the configured key becomes the one in use; every other key is retired (kept, so old certificates
//       still verify). Then restart every portal (web) process with that configuration (it signs, in its job runner).
//   DATABASE_URL=… npx tsx bin/rotate-signing-key.ts --secrets-file ../../.data/secrets.json
//       for `npm start`: makes a new seed, writes it into the secrets file, then rotates to it.
//
// The seed itself is never printed: only the public key id is.
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createDb } from "@titles/db";
import { z } from "zod";
import { issuerKeyFromSeed } from "../app/certificates/keys.server";
import { rotateSigningKey } from "../app/certificates/rotation.server";

const ZRotationEnv = z.object({
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
  CERTIFICATE_SIGNING_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9_-]{43}$/.test(v), "CERTIFICATE_SIGNING_KEY must be base64url of 32 bytes")
    .optional(),
});

function fail(message: string): never {
  console.error(`[rotate-signing-key] ${message}`);
  process.exit(1);
}

const parsed = ZRotationEnv.safeParse(process.env);
if (!parsed.success)
  fail(
    `配置无效 / invalid configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}`,
  );
const config = parsed.data;

const at = process.argv.indexOf("--secrets-file");
const secretsFile = at === -1 ? null : process.argv[at + 1];
if (at !== -1 && !secretsFile) fail("--secrets-file 需要路径 / needs a path");

let seed: string;
if (secretsFile) {
  const path = resolve(secretsFile);
  const secrets = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
  seed = randomBytes(32).toString("base64url");
  // Written (atomically) before the database is touched: a lost new seed would be worse than a key that
  // is recorded at the next issuance instead of now.
  writeFileSync(`${path}.tmp`, JSON.stringify({ ...secrets, CERTIFICATE_SIGNING_KEY: seed }, null, 2), {
    mode: 0o600,
  });
  renameSync(`${path}.tmp`, path);
} else if (config.CERTIFICATE_SIGNING_KEY) {
  seed = config.CERTIFICATE_SIGNING_KEY;
} else {
  fail(
    "CERTIFICATE_SIGNING_KEY 未设置：请配置新的密钥，或用 --secrets-file / is not set: configure the new key, or use --secrets-file",
  );
}

const key = issuerKeyFromSeed(Buffer.from(seed, "base64url"));
const handle = createDb({ url: config.DATABASE_URL, max: 1 });
try {
  const result = await rotateSigningKey(handle.db, key, new Date());
  console.log(`[rotate-signing-key] 正在使用 / now signing: ${result.keyId}`);
  for (const id of result.retired)
    console.log(`[rotate-signing-key] 已停用（保留以验证旧证书）/ retired (kept): ${id}`);
  console.log(
    "[rotate-signing-key] 请用新配置重启所有门户进程 / restart every portal (web) process with the new key",
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await handle.close();
}
