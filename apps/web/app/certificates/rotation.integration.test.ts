import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  type Db,
  findAuditForObject,
  signingKeyRepository,
  userRepository,
} from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import {
  type CertificateDeps,
  issueCertificate,
  verifyCertificateNumber,
} from "~/services/certificates.server";
import { seededTestDb, shanghai } from "~/services/testing.server";
import { verifyCredential } from "./credential.server";
import { issuerKeyFromSeed } from "./keys.server";
import { rotateSigningKey } from "./rotation.server";

const ADMIN = "13800000011";
const YEAR = 2026;
const BASE_URL = "https://titles.example.test";

describe.each(testTargets)("signing key rotation on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let admin: Actor;
  let files: FileStore;
  let filesDir: string;
  let person = 0;
  const oldKey = issuerKeyFromSeed(randomBytes(32));
  const newKey = issuerKeyFromSeed(randomBytes(32));
  const deps = (key: typeof oldKey): CertificateDeps => ({ db, files, key, baseUrl: BASE_URL });

  beforeAll(async () => {
    let actors: Record<string, Actor>;
    ({ handle, actors } = await seededTestDb(target));
    db = handle.db;
    admin = actors[ADMIN]!;
    filesDir = await mkdtemp(join(tmpdir(), "titles-rotation-"));
    files = createLocalFileStore(filesDir);
  });

  afterAll(async () => {
    await handle.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  /** A final result in an ended senior batch, ready for its certificate; returns the entry id. */
  async function finalResult(name: string): Promise<{ entryId: string; applicationId: string }> {
    person += 1;
    const unique = randomBytes(6).toString("hex");
    const user = await userRepository.insert(db, {
      name,
      idType: "mainland",
      idNumber: `1101081990${String(person).padStart(4, "0")}123X`,
      idNumberHash: `id-${unique}`,
      phone: `139${String(20_000_000 + person)}`,
      phoneHash: `ph-${unique}`,
      passwordHash: "x",
      phoneVerifiedAt: shanghai("2027-01-10T10:00:00"),
    });
    const app = await applicationRepository.insert(db, {
      applicantId: user.id,
      roundYear: YEAR,
      windowId: "2021-general",
      series: "engineering",
      level: "senior",
      track: "regular",
      state: "final",
      at: shanghai("2027-01-10T10:00:00"),
    });
    const [batch] = await queryRows(
      db,
      `insert into result_batches (round_year, publisher, level_group, number, title, state, publicity_start,
         publicity_end, working_days, published_at, ended_at, created_by)
       values (${YEAR}, 'bureau', 'senior', ${person}, '测试批次', 'ended', '2027-01-04', '2027-01-08',
         5, '2027-01-04T00:00:00Z', '2027-01-09T00:00:00Z', '${admin.user.id}') returning id`,
    );
    const [entry] = await queryRows(
      db,
      `insert into result_entries (batch_id, application_id, position, result, listed, name, unit_name, series,
         level, specialty, qualification, committee_name, approved_on, outcome)
       values ('${String(batch!.id)}', '${app.id}', 1, 'passed', true, '${name}', '北京市建筑设计研究院有限公司',
         'engineering', 'senior', '结构工程', '正高级工程师', '北京市工程技术系列高级评审委员会', '2026-12-03',
         'final') returning id`,
    );
    return { entryId: String(entry!.id), applicationId: app.id };
  }

  async function certificateOf(applicationId: string) {
    const [row] = await queryRows(
      db,
      `select number, key_id, credential from certificates where application_id = '${applicationId}'`,
    );
    return row as { number: string; key_id: string; credential: Record<string, unknown> };
  }

  it("certificates signed by the retired key still verify; new ones are signed with the new key", async () => {
    const before = await finalResult("钱晓岚");
    expect(
      (await issueCertificate(deps(oldKey), admin, before.entryId, shanghai("2027-02-01T10:00:00"))).ok,
    ).toBe(true);

    const rotatedAt = shanghai("2027-02-02T09:00:00");
    const result = await rotateSigningKey(db, newKey, rotatedAt);
    expect(result).toEqual({ keyId: newKey.keyId, retired: [oldKey.keyId] });
    const keys = await signingKeyRepository.findAll(db);
    expect(keys.find((k) => k.id === oldKey.keyId)?.retiredAt?.toISOString()).toBe(rotatedAt.toISOString());
    expect(keys.filter((k) => k.retiredAt === null).map((k) => k.id)).toEqual([newKey.keyId]);
    const [audit] = await findAuditForObject(db, "signing_key", newKey.keyId);
    expect(audit).toMatchObject({ action: "signing_key.rotate", data: { retired: [oldKey.keyId] } });

    const after = await finalResult("孙一鸣");
    expect(
      (await issueCertificate(deps(newKey), admin, after.entryId, shanghai("2027-02-03T10:00:00"))).ok,
    ).toBe(true);

    const oldCert = await certificateOf(before.applicationId);
    const newCert = await certificateOf(after.applicationId);
    expect(oldCert.key_id).toBe(oldKey.keyId);
    expect(newCert.key_id).toBe(newKey.keyId);
    // The public page checks each against its own key; the credentials verify offline from their did:key.
    expect((await verifyCertificateNumber(db, oldCert.number, null)).status).toBe("valid");
    expect((await verifyCertificateNumber(db, newCert.number, null)).status).toBe("valid");
    expect(verifyCredential(oldCert.credential, oldKey.publicKeyMultibase)).toBe(true);
    expect(verifyCredential(newCert.credential, newKey.publicKeyMultibase)).toBe(true);
    expect(JSON.stringify(newCert.credential)).toContain(newKey.did);
    expect(JSON.stringify(newCert.credential)).not.toContain(oldKey.publicKeyMultibase);
  });

  it("is idempotent, and never takes a retired key back into use", async () => {
    expect(await rotateSigningKey(db, newKey, shanghai("2027-02-04T09:00:00"))).toEqual({
      keyId: newKey.keyId,
      retired: [],
    });
    await expect(rotateSigningKey(db, oldKey, shanghai("2027-02-04T09:00:00"))).rejects.toThrow(
      /不能再次启用 \/ this key was retired/,
    );
    const keys = await signingKeyRepository.findAll(db);
    expect(keys.filter((k) => k.retiredAt === null).map((k) => k.id)).toEqual([newKey.keyId]);
  });
});
