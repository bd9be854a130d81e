export {
  type AuditEntry,
  type AuditVerification,
  appendAudit,
  findAuditForObject,
  verifyAuditChain,
} from "./audit";
export { resolveSession, type SessionResolution } from "./auth";
export { type CreateDbOptions, createDb, type Db, type DbHandle, migrationsFolder } from "./client";
export { lookupHash, newSmsCode, newToken, sha256, signToken, verifySignedToken } from "./crypto";
export { loginFailureRepository } from "./repositories/login-failures";
export { type NotificationRecord, notificationRepository } from "./repositories/notifications";
export { type OrganisationRecord, organisationRepository } from "./repositories/organisations";
export { type CalendarYearRecord, calendarRepository, roundRepository } from "./repositories/rounds";
export { type SessionRecord, sessionRepository } from "./repositories/sessions";
export { type SmsChallengeRecord, smsChallengeRepository } from "./repositories/sms-challenges";
export { type RoleGrant, type UserRecord, userRepository } from "./repositories/users";
export { DEMO_PASSWORD, type DemoLogin, demoLogins, demoRound, seedDemo } from "./seed";
