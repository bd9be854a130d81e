import { timingSafeEqual } from "node:crypto";
import {
  appendAudit,
  type Db,
  lookupHash,
  newSmsCode,
  newToken,
  sessionRepository,
  sha256,
  signToken,
  smsChallengeRepository,
  userRepository,
} from "@titles/db";
import {
  DomainError,
  idTypes,
  normalizeName,
  normalizePhone,
  passwordError,
  smsCanResend,
  smsCodeAttempt,
  validateIdentity,
  validateName,
  validatePhone,
} from "@titles/domain";
import { z } from "zod";
import { env } from "~/env.server";
import { enqueueSms } from "./notifications.server";
import { hashPassword } from "./passwords.server";

export const ZRegisterInput = z.object({
  name: z.string().max(100).default(""),
  idType: z.enum(idTypes).catch("mainland"),
  idNumber: z.string().max(40).default(""),
  phone: z.string().max(20).default(""),
  password: z.string().max(200).default(""),
  passwordConfirm: z.string().max(200).default(""),
  code: z.string().max(10).optional(),
});
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

type Field = "name" | "idNumber" | "phone" | "password" | "passwordConfirm" | "code";
export type RegistrationErrors = Partial<Record<Field, DomainError>>;

export type RegistrationResult<T> = { ok: true; value: T } | { ok: false; errors: RegistrationErrors };

interface Checked {
  name: string;
  idType: TRegisterInput["idType"];
  idNumber: string;
  phone: string;
  password: string;
  idNumberHash: string;
  phoneHash: string;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Every problem at once, so the applicant fixes them in one go; reads only, writes nothing. */
async function checkDetails(tx: Db, input: TRegisterInput, now: Date): Promise<RegistrationResult<Checked>> {
  const errors: RegistrationErrors = {};
  const name = normalizeName(input.name);
  if (!validateName(name)) errors.name = new DomainError("NAME_FORMAT");
  const identity = validateIdentity(
    { idType: input.idType, idNumber: input.idNumber },
    now.toISOString().slice(0, 10),
  );
  if (!identity.ok) errors.idNumber = identity.error;
  const phone = normalizePhone(input.phone);
  if (!validatePhone(phone)) errors.phone = new DomainError("PHONE_FORMAT");
  const weak = passwordError(input.password, {
    name,
    phone,
    idNumber: identity.ok ? identity.normalized : input.idNumber,
  });
  if (weak) errors.password = weak;
  else if (input.password !== input.passwordConfirm)
    errors.passwordConfirm = new DomainError("PASSWORD_MISMATCH");

  const key = env().LOOKUP_HASH_KEY;
  const idNumberHash = identity.ok ? lookupHash(key, identity.normalized) : "";
  const phoneHash = lookupHash(key, phone);
  if (identity.ok && (await userRepository.existsByIdNumberHash(tx, idNumberHash))) {
    errors.idNumber = new DomainError("ALREADY_REGISTERED", { what: "idNumber" });
  }
  if (!errors.phone && (await userRepository.existsByPhoneHash(tx, phoneHash))) {
    errors.phone = new DomainError("ALREADY_REGISTERED", { what: "phone" });
  }
  if (Object.keys(errors).length > 0 || !identity.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      idType: input.idType,
      idNumber: identity.normalized,
      phone,
      password: input.password,
      idNumberHash,
      phoneHash,
    },
  };
}

/** Step 1: checks the details and texts a code to the phone. */
export async function sendRegistrationCode(
  db: Db,
  input: TRegisterInput,
  now: Date,
): Promise<RegistrationResult<{ phone: string }>> {
  return db.transaction(async (tx) => {
    const checked = await checkDetails(tx, input, now);
    if (!checked.ok) return checked;
    const { phone, phoneHash } = checked.value;
    const latest = await smsChallengeRepository.findLatest(tx, phoneHash, "register");
    const resend = smsCanResend(latest?.issuedAt, now);
    if (!resend.ok) return { ok: false, errors: { code: resend.error } };
    const code = newSmsCode();
    await smsChallengeRepository.insert(tx, {
      phoneHash,
      purpose: "register",
      codeHash: sha256(`${phoneHash}:${code}`),
      issuedAt: now,
    });
    await enqueueSms(tx, { userId: null, phone, template: "register-code", params: { code }, at: now });
    return { ok: true, value: { phone } };
  });
}

/** Step 2: the code confirms the phone; the user, the applicant role and a session are created together. */
export async function completeRegistration(
  db: Db,
  input: TRegisterInput,
  context: { now: Date; userAgent: string | null },
): Promise<RegistrationResult<{ userId: string; cookieValue: string }>> {
  const { now } = context;
  // Hash before the transaction: argon2 takes tens of milliseconds and holds no lock.
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const checked = await checkDetails(tx, input, now);
    if (!checked.ok) return checked;
    const details = checked.value;
    const challenge = await smsChallengeRepository.findLatest(tx, details.phoneHash, "register");
    if (!challenge) return { ok: false, errors: { code: new DomainError("SMS_CODE_WRONG") } };
    const matches = safeEqual(
      challenge.codeHash,
      sha256(`${details.phoneHash}:${(input.code ?? "").trim()}`),
    );
    const attempt = smsCodeAttempt({ ...challenge, consumed: challenge.consumedAt !== null }, matches, now);
    if (!attempt.ok) {
      // A wrong guess is counted (and committed): five of them spend the code.
      if (attempt.state.attempts !== challenge.attempts)
        await smsChallengeRepository.recordAttempt(tx, challenge.id);
      return { ok: false, errors: { code: attempt.error } };
    }
    if (!(await smsChallengeRepository.consume(tx, challenge.id, now))) {
      return { ok: false, errors: { code: new DomainError("SMS_CODE_USED") } };
    }
    const user = await userRepository.insert(tx, {
      name: details.name,
      idType: details.idType,
      idNumber: details.idNumber,
      idNumberHash: details.idNumberHash,
      phone: details.phone,
      phoneHash: details.phoneHash,
      passwordHash,
      phoneVerifiedAt: now,
    });
    await userRepository.grantRole(tx, user.id, "applicant", null);
    const token = newToken();
    const sessionId = await sessionRepository.insert(tx, {
      userId: user.id,
      tokenHash: sha256(token),
      userAgent: context.userAgent,
      at: now,
    });
    await enqueueSms(tx, {
      userId: user.id,
      phone: details.phone,
      template: "registered",
      params: { name: details.name },
      at: now,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: user.id,
      action: "user.registered",
      objectType: "user",
      objectId: user.id,
      data: { idType: details.idType, sessionId },
    });
    return { ok: true, value: { userId: user.id, cookieValue: signToken(token, env().SESSION_SECRET) } };
  });
}
