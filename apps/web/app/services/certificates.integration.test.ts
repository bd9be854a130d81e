import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applicationRepository, type Db, encryptField, findAuditForObject, userRepository } from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { countRows, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { certificateNumber, isValidCertificateNumber, messageFor, mod11_2CheckChar } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCredential } from "~/certificates/credential.server";
import { issuerKeyFromSeed } from "~/certificates/keys.server";
import { decodeStatusList } from "~/certificates/status-list.server";
import type { Actor } from "~/lib/auth.server";
import {
  type CertificateDeps,
  certificatePdfOf,
  credentialOf,
  issuanceStatus,
  issueCertificate,
  listOwnCertificates,
  processIssuances,
  revokeCertificate,
  startIssuance,
  statusListOf,
  verifyCertificateNumber,
} from "./certificates.server";
import { seededTestDb, shanghai } from "./testing.server";

const ADMIN = "13800000011";
const AGENCY = "13800000005";
const NOW = shanghai("2027-02-10T10:00:00");
const YEAR = 2026;
const BASE_URL = "https://titles.example.test";

/** The QR token inside a PDF is not readable back, so the tests capture it from the verify URL. */
function capturingDeps(base: Omit<CertificateDeps, "render">, tokens: Map<string, string>): CertificateDeps {
  return {
    ...base,
    render: async (input) => {
      const { renderCertificatePdf } = await import("~/certificates/pdf.server");
      const url = new URL(input.verifyUrl);
      tokens.set(input.data.number, url.searchParams.get("t") ?? "");
      return renderCertificatePdf(input);
    },
  };
}

describe.each(testTargets)("electronic certificates on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let actors: Record<string, Actor>;
  let files: FileStore;
  let filesDir: string;
  let deps: CertificateDeps;
  const tokens = new Map<string, string>();
  const key = issuerKeyFromSeed(randomBytes(32));
  let person = 0;

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
    db = handle.db;
    filesDir = await mkdtemp(join(tmpdir(), "titles-certs-"));
    files = createLocalFileStore(filesDir);
    deps = capturingDeps({ db, files, key, baseUrl: BASE_URL }, tokens);
  });

  afterAll(async () => {
    await handle.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  /** An applicant with an application in `state` (a final result by default). */
  async function applicant(name: string, state = "final") {
    person += 1;
    const unique = randomBytes(6).toString("hex");
    const idNumber = `1101081990${String(person).padStart(4, "0")}123X`;
    const user = await userRepository.insert(db, {
      name,
      idType: "mainland",
      idNumber,
      idNumberHash: `id-${unique}`,
      phone: `139${String(10_000_000 + person)}`,
      phoneHash: `ph-${unique}`,
      passwordHash: "x",
      phoneVerifiedAt: NOW,
    });
    const app = await applicationRepository.insert(db, {
      applicantId: user.id,
      roundYear: YEAR,
      windowId: "2021-general",
      series: "engineering",
      level: "senior",
      track: "regular",
      state,
      at: NOW,
    });
    const actor: Actor = { sessionId: "s", user, roles: await userRepository.findRoles(db, user.id) };
    return { user, app, idNumber, actor };
  }

  /** A senior batch whose publicity is over, with its entries (outcome `final` unless told otherwise). */
  async function batch(
    people: Array<{ app: { id: string }; user: { name: string } }>,
    outcome: (i: number) => string = () => "final",
  ): Promise<{ id: string; entries: string[] }> {
    const admin = actors[ADMIN]!;
    const [numberRow] = await queryRows(
      db,
      `select coalesce(max(number), 0) + 1 as n from result_batches where round_year = ${YEAR}`,
    );
    const [row] = await queryRows(
      db,
      `insert into result_batches (round_year, publisher, level_group, number, title, state, publicity_start,
         publicity_end, working_days, published_at, ended_at, created_by)
       values (${YEAR}, 'bureau', 'senior', ${Number(numberRow!.n)}, '测试批次', 'ended', '2027-01-04', '2027-01-08',
         5, '2027-01-04T00:00:00Z', '2027-01-09T00:00:00Z', '${admin.user.id}') returning id`,
    );
    const batchId = String(row!.id);
    const entries: string[] = [];
    for (const [i, p] of people.entries()) {
      const [entry] = await queryRows(
        db,
        `insert into result_entries (batch_id, application_id, position, result, listed, name, unit_name, series,
           level, specialty, qualification, committee_name, approved_on, outcome)
         values ('${batchId}', '${p.app.id}', ${i + 1}, 'passed', true, '${p.user.name}', '北京市建筑设计研究院有限公司',
           'engineering', 'senior', '结构工程', '正高级工程师', '北京市工程技术系列高级评审委员会', '2026-12-03',
           '${outcome(i)}') returning id`,
      );
      entries.push(String(entry!.id));
    }
    return { id: batchId, entries };
  }

  const certificateOf = async (applicationId: string) =>
    (await queryRows(db, `select * from certificates where application_id = '${applicationId}'`))[0];

  it("issues the certificate of a final result: number, masked ID, signed data, PDF, state, SMS, audit", async () => {
    const zhao = await applicant("赵鑫瑄");
    const { entries } = await batch([zhao]);
    const result = await issueCertificate(deps, actors[ADMIN]!, entries[0]!, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const number = result.value.number;
    expect(isValidCertificateNumber(number)).toBe(true);
    expect(number.startsWith(`11${YEAR}`)).toBe(true);

    const row = (await certificateOf(zhao.app.id))!;
    const data = row.data as Record<string, string>;
    expect(data.holderName).toBe("赵鑫瑄");
    expect(data.holderIdMasked).toMatch(/^1101\*+123X$/);
    // The full ID number is nowhere in what was stored for the certificate.
    expect(JSON.stringify(row)).not.toContain(zhao.idNumber);
    expect(data.qualification).toBe("正高级工程师");
    expect(await files.has(String(row.pdf_sha256))).toBe(true);

    const app = await applicationRepository.findById(db, zhao.app.id);
    expect(app?.state).toBe("certified");
    const sms = await queryRows(
      db,
      `select body from notifications where application_id = '${zhao.app.id}' and template = 'certificate-ready'`,
    );
    expect(sms).toHaveLength(1);
    expect(String(sms[0]!.body)).toContain(number);
    expect((await findAuditForObject(db, "certificate", String(row.id))).map((a) => a.action)).toContain(
      "certificate.issue",
    );

    // Issuing it again is refused, and the unique index would stop it anyway.
    const again = await issueCertificate(deps, actors[ADMIN]!, entries[0]!, NOW);
    expect(again.ok === false && again.error.code).toBe("CERTIFICATE_NOT_ISSUABLE");
  });

  it("issues nothing for a result under an open complaint, nor for an overturned one", async () => {
    const open = await applicant("钱开");
    const overturned = await applicant("孙撤", "failed");
    const { id: batchId, entries } = await batch([open, overturned], (i) =>
      i === 0 ? "final" : "overturned",
    );
    // The contact phone is stored encrypted, bound to the row (decision 0016).
    const complaintId = randomUUID();
    await queryRows(
      db,
      `insert into complaints (id, reference, kind, batch_id, entry_id, application_id, complainant_name, contact_phone,
         contact_phone_hash, facts, state, filed_at)
       values ('${complaintId}', 'TS2026-TEST0001', 'complaint', '${batchId}', '${entries[0]}', '${open.app.id}', '王某',
         '${encryptField("complaints.contact_phone", complaintId, "13900000000")}',
         'h', '论文存在抄袭情况，请核查。', 'open', '2027-01-05T02:00:00Z')`,
    );
    const before = await countRows(db, ["certificates", "certificate_serials", "audit_log", "notifications"]);
    const underComplaint = await issueCertificate(deps, actors[ADMIN]!, entries[0]!, NOW);
    expect(underComplaint.ok === false && underComplaint.error.code).toBe("RESULT_UNDER_COMPLAINT");
    if (!underComplaint.ok) expect(messageFor(underComplaint.error, "zh-CN")).toContain("钱开");
    const notFinal = await issueCertificate(deps, actors[ADMIN]!, entries[1]!, NOW);
    expect(notFinal.ok === false && notFinal.error.code).toBe("CERTIFICATE_NOT_ISSUABLE");
    // A bulk start has nothing to issue either.
    const start = await startIssuance(db, actors[ADMIN]!, batchId, NOW);
    expect(start.ok === false && start.error.code).toBe("CERTIFICATE_NOT_ISSUABLE");
    expect(
      await countRows(db, ["certificates", "certificate_serials", "audit_log", "notifications"]),
    ).toEqual(before);
  });

  it("only the bureau starts an issuance or revokes; an agency sees no other publisher's batch", async () => {
    const wu = await applicant("吴权");
    const { id: batchId } = await batch([wu]);
    const agency = actors[AGENCY]!;
    const start = await startIssuance(db, agency, batchId, NOW);
    expect(start.ok === false && start.error.code).toBe("FORBIDDEN");
    const applicantStart = await startIssuance(db, wu.actor, batchId, NOW);
    expect(applicantStart.ok === false && applicantStart.error.code).toBe("FORBIDDEN");
    expect(await issuanceStatus(db, agency, batchId)).toBeNull();
    const revoke = await revokeCertificate(
      db,
      agency,
      { number: certificateNumber(YEAR, 1), reason: "材料造假" },
      NOW,
    );
    expect(revoke.ok === false && revoke.error.code).toBe("FORBIDDEN");
  });

  it("bulk issuance is restartable: a pass cut short, then two passes at once, issue each certificate once", async () => {
    const people = [];
    for (let i = 0; i < 9; i++) people.push(await applicant(`批量${"甲乙丙丁戊己庚辛壬"[i]}`));
    const { id: batchId } = await batch(people);
    const admin = actors[ADMIN]!;

    const started = await startIssuance(db, admin, batchId, NOW);
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.value).toMatchObject({ state: "queued", total: 9, issued: 0, canStart: false });
    const twice = await startIssuance(db, admin, batchId, NOW);
    expect(twice.ok === false && twice.error.code).toBe("ISSUANCE_RUNNING");

    // The process "dies" after a few certificates: only whole chunks were committed.
    const first = await processIssuances(deps, NOW, { limit: 3, chunkSize: 2 });
    expect(first.issued).toBeGreaterThanOrEqual(3);
    const midway = await issuanceStatus(db, admin, batchId);
    expect(midway).toMatchObject({ state: "running", total: 9, issued: first.issued, canStart: false });

    // Restarted twice at once (a retry meeting the next minute's pass): the rest, none twice.
    const [a, b] = await Promise.all([
      processIssuances(deps, NOW, { chunkSize: 2 }),
      processIssuances(deps, NOW, { chunkSize: 2 }),
    ]);
    expect(first.issued + a.issued + b.issued).toBe(9);
    const done = await issuanceStatus(db, admin, batchId);
    expect(done).toMatchObject({
      state: "done",
      total: 9,
      issued: 9,
      pending: 0,
      certified: 9,
      canStart: false,
    });
    expect(done?.finishedAt).not.toBeNull();

    const rows = await queryRows(
      db,
      `select c.number, c.status_index, a.state from certificates c
         join result_entries e on e.id = c.entry_id join applications a on a.id = c.application_id
        where e.batch_id = '${batchId}' order by c.number`,
    );
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((r) => r.number)).size).toBe(9);
    expect(new Set(rows.map((r) => r.status_index)).size).toBe(9);
    for (const r of rows) {
      expect(isValidCertificateNumber(String(r.number))).toBe(true);
      expect(r.state).toBe("certified");
    }
    // Serials of the year have no gaps: 1..n over every certificate issued so far.
    const serials = (await queryRows(db, "select number from certificates order by number")).map((r) =>
      Number(String(r.number).slice(6, 13)),
    );
    expect(serials).toEqual(serials.map((_, i) => i + 1));
    const [year] = await queryRows(db, `select last_serial from certificate_serials where year = ${YEAR}`);
    expect(Number(year!.last_serial)).toBe(serials.length);
    const sms = await queryRows(
      db,
      `select count(*)::int as n from notifications n join result_entries e on e.application_id = n.application_id
        where e.batch_id = '${batchId}' and n.template = 'certificate-ready'`,
    );
    expect(Number(sms[0]!.n)).toBe(9);
  });

  it("the holder lists and downloads their own certificate; nobody else's", async () => {
    const zhou = await applicant("周赟");
    const other = await applicant("郑其");
    const { entries } = await batch([zhou]);
    const issued = await issueCertificate(deps, actors[ADMIN]!, entries[0]!, NOW);
    if (!issued.ok) throw issued.error;
    const own = await listOwnCertificates(db, zhou.actor);
    expect(own).toEqual([
      expect.objectContaining({
        number: issued.value.number,
        qualification: "正高级工程师",
        status: "valid",
      }),
    ]);
    expect(await listOwnCertificates(db, other.actor)).toEqual([]);
    const mine = await certificatePdfOf(db, zhou.actor, issued.value.number);
    expect(mine.ok && (await files.has(mine.value.sha256))).toBe(true);
    const theirs = await certificatePdfOf(db, other.actor, issued.value.number);
    expect(theirs.ok === false && theirs.error.code).toBe("FORBIDDEN");
  });

  it("verification: valid with the token, status only without it, wrong token, made-up and mistyped numbers", async () => {
    const feng = await applicant("冯瑄");
    const { entries } = await batch([feng]);
    const issued = await issueCertificate(deps, actors[ADMIN]!, entries[0]!, NOW);
    if (!issued.ok) throw issued.error;
    const number = issued.value.number;
    const token = tokens.get(number)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const valid = await verifyCertificateNumber(db, number, token);
    expect(valid).toMatchObject({
      status: "valid",
      detail: { holderName: "冯瑄", qualification: "正高级工程师", issuer: "北京市人力资源和社会保障局" },
    });
    if (valid.status === "valid" && valid.detail)
      expect(valid.detail.holderIdMasked).not.toContain(feng.idNumber);
    // Typed in by hand (grouped, lower case): the status, nothing personal.
    const grouped = `${number.slice(0, 2)} ${number.slice(2, 6)} ${number.slice(6, 13)} ${number.slice(13).toLowerCase()}`;
    expect(await verifyCertificateNumber(db, grouped, null)).toMatchObject({ status: "valid", detail: null });

    const wrongToken = await verifyCertificateNumber(db, number, "x".repeat(43));
    expect(wrongToken.status).toBe("token-mismatch");
    expect(JSON.stringify(wrongToken)).not.toContain("冯瑄");

    // A made-up number with a correct check character is simply not ours.
    const madeUp = certificateNumber(YEAR, 9_999_999);
    const unknown = await verifyCertificateNumber(db, madeUp, null);
    expect(unknown.status).toBe("unknown");
    if (unknown.status === "unknown") expect(messageFor(unknown.error, "zh-CN")).toContain("查无此证书");
    // One mistyped digit breaks the check character.
    const body = number.slice(0, 13);
    const typo = `${body.slice(0, 12)}${(Number(body[12]) + 1) % 10}${number[13]}`;
    expect(mod11_2CheckChar(typo.slice(0, 13))).not.toBe(typo[13]);
    const mistyped = await verifyCertificateNumber(db, typo, null);
    expect(mistyped.status).toBe("invalid-number");
    if (mistyped.status === "invalid-number") expect(mistyped.error.code).toBe("CERTIFICATE_NUMBER_INVALID");

    // The credential is served only with the token, and verifies with the issuer's key.
    const credential = await credentialOf(db, number, token);
    expect(credential.ok && verifyCredential(credential.value, key.publicKeyMultibase)).toBe(true);
    const noToken = await credentialOf(db, number, null);
    expect(noToken.ok === false && noToken.error.code).toBe("CERTIFICATE_TOKEN_MISMATCH");
  });

  it("a tampered certificate row fails its signature and is not shown as valid", async () => {
    const han = await applicant("韩梅");
    const { entries } = await batch([han]);
    const issued = await issueCertificate(deps, actors[ADMIN]!, entries[0]!, NOW);
    if (!issued.ok) throw issued.error;
    const number = issued.value.number;
    const token = tokens.get(number)!;
    expect((await verifyCertificateNumber(db, number, token)).status).toBe("valid");
    await queryRows(
      db,
      `update certificates set data = jsonb_set(data, '{qualification}', '"正高级经济师"') where number = '${number}'`,
    );
    expect((await verifyCertificateNumber(db, number, token)).status).toBe("bad-signature");
    expect((await verifyCertificateNumber(db, number, null)).status).toBe("bad-signature");
  });

  it("revocation: reason required, application revoked, SMS, status-list bit set, page says revoked; twice refused", async () => {
    const chu = await applicant("褚衡");
    const { entries } = await batch([chu]);
    const issued = await issueCertificate(deps, actors[ADMIN]!, entries[0]!, NOW);
    if (!issued.ok) throw issued.error;
    const number = issued.value.number;
    const admin = actors[ADMIN]!;

    const noReason = await revokeCertificate(db, admin, { number, reason: " " }, NOW);
    expect(noReason.ok === false && noReason.error.code).toBe("VALIDATION");

    const later = shanghai("2027-03-01T09:30:00");
    const revoked = await revokeCertificate(db, admin, { number, reason: "经核查，申报材料存在造假" }, later);
    expect(revoked.ok).toBe(true);
    expect((await applicationRepository.findById(db, chu.app.id))?.state).toBe("revoked");
    const sms = await queryRows(
      db,
      `select body from notifications where application_id = '${chu.app.id}' and template = 'certificate-revoked'`,
    );
    expect(String(sms[0]?.body)).toContain("申报材料存在造假");

    const page = await verifyCertificateNumber(db, number, tokens.get(number)!);
    expect(page).toMatchObject({ status: "revoked", revokedOn: "2027-03-01" });
    expect((await listOwnCertificates(db, chu.actor))[0]).toMatchObject({ status: "revoked" });

    const row = (await certificateOf(chu.app.id))!;
    const list = await statusListOf(deps, "1", later);
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(verifyCredential(list.value, key.publicKeyMultibase)).toBe(true);
    const subject = list.value.credentialSubject as { encodedList: string };
    const isSet = decodeStatusList(subject.encodedList);
    expect(isSet(Number(row.status_index))).toBe(true);
    expect(isSet(Number(row.status_index) + 1)).toBe(false);
    const unknownList = await statusListOf(deps, "2", later);
    expect(unknownList.ok === false && unknownList.error.code).toBe("NOT_FOUND");

    const again = await revokeCertificate(db, admin, { number, reason: "重复撤销" }, later);
    expect(again.ok === false && again.error.code).toBe("CERTIFICATE_ALREADY_REVOKED");
  });
});
