export {
  type AuditEntry,
  type AuditVerification,
  appendAudit,
  findAuditForObject,
  verifyAuditChain,
} from "./audit";
export { resolveSession, SESSION_COOKIE, type SessionResolution } from "./auth";
export { type CreateDbOptions, createDb, type Db, type DbHandle, migrationsFolder } from "./client";
export { lookupHash, newSmsCode, newToken, sha256, signToken, verifySignedToken } from "./crypto";
export {
  decryptField,
  deriveFieldKey,
  type EncryptedColumn,
  encryptedColumns,
  encryptField,
  FieldDecryptionError,
  type FieldKeyring,
  fieldKeyId,
  fieldKeys,
  fieldKeysFromConfig,
  hasFieldKeys,
  installFieldKeys,
  isFieldKeySpec,
  newFieldKey,
  parseFieldKeys,
} from "./field-crypto";
export { encryptFieldsAtRest, type FieldEncryptionReport } from "./field-crypto-migrate";
export {
  type ApplicationEventRecord,
  type ApplicationRecord,
  type ApplicationWithPeople,
  applicationRepository,
} from "./repositories/applications";
export {
  type BallotResult,
  type BallotSummary,
  ballotRepository,
  type CommitteeMeetingFacts,
  type CommitteeSeat,
  type VoteFacts,
} from "./repositories/ballots";
export {
  type CertificateIssuanceRecord,
  type CertificateRecord,
  type CertificateSummary,
  type CertificateWithKey,
  certificateRepository,
  type IssuableEntry,
  type IssuanceBatchFacts,
} from "./repositories/certificates";
export {
  type BallotRecord,
  type CommitteeMemberRecord,
  type CommitteeMemberView,
  type CommitteeRecord,
  type CommitteeSummary,
  committeeRepository,
  type MeetingAgendaView,
  type MeetingMemberView,
  type MeetingSummary,
  meetingAdminRepository,
  type OpinionView,
  type PendingResult,
  type RecusalView,
  type ReviewGroupView,
} from "./repositories/committees";
export {
  type ComplaintAttachmentRecord,
  type ComplaintRecord,
  type ComplaintSummary,
  type ComplaintTarget,
  complaintRepository,
} from "./repositories/complaints";
export { type CorrectionNoticeRecord, correctionRepository } from "./repositories/corrections";
export { type DeadlineCandidate, deadlineRepository, type OpenFeeOrder } from "./repositories/deadlines";
export {
  type DefenseScoreRecord,
  type DefenseSession,
  defenseScoreRepository,
  type ScoringFacts,
  type SubmittedTotal,
} from "./repositories/defense-scores";
export {
  type DefenseAssignment,
  type DefenseCall,
  type DefenseSessionSummary,
  defenseSessionRepository,
} from "./repositories/defense-sessions";
export {
  type DistrictFile,
  type DistrictForwardRecord,
  type DistrictForwardWithEntries,
  type DistrictReviewRecord,
  districtRepository,
  type ForwardEntry,
} from "./repositories/district";
export {
  type DossierOutlineEntry,
  type DossierRecord,
  type DossierSourceMaterial,
  dossierRepository,
  dossierStates,
} from "./repositories/dossiers";
export { type ExpertDrawRecord, expertDrawRepository } from "./repositories/expert-draws";
export { type ExpertRecord, expertRepository, type PoolExpertView } from "./repositories/experts";
export { loginFailureRepository } from "./repositories/login-failures";
export {
  type FileRecord,
  fileRepository,
  type MaterialRecord,
  type MaterialWithFile,
  materialRepository,
} from "./repositories/materials";
export {
  type AgendaEntry,
  type MeetingRecord,
  meetingRepository,
  type RecusalRecord,
} from "./repositories/meetings";
export {
  type NotificationRecord,
  notificationRepository,
  type SealedNotification,
} from "./repositories/notifications";
export {
  employerRequestRepository,
  type ObjectionRecord,
  objectionRepository,
} from "./repositories/objections";
export { type OrganisationRecord, organisationRepository } from "./repositories/organisations";
export {
  type PaymentCallbackRecord,
  type PaymentOrderRecord,
  paymentRepository,
} from "./repositories/payments";
export {
  type ComplaintTally,
  type PublicBatch,
  type PublicEntry,
  type ResultBatchRecord,
  type ResultBatchSummary,
  type ResultCandidate,
  type ResultEntryRecord,
  resultBatchRepository,
  type StaffEntry,
} from "./repositories/result-batches";
export {
  type GroupOpinion,
  type ReviewGroupRecord,
  type ReviewOpinionRecord,
  reviewOpinionRepository,
} from "./repositories/review-opinions";
export { type CalendarYearRecord, calendarRepository, roundRepository } from "./repositories/rounds";
export { type SessionRecord, sessionRepository } from "./repositories/sessions";
export { type SigningKeyRecord, signingKeyRepository } from "./repositories/signing-keys";
export { type SmsChallengeRecord, smsChallengeRepository } from "./repositories/sms-challenges";
export { type GroupCount, type StatisticsScope, statisticsRepository } from "./repositories/statistics";
export { type RoleGrant, type UserRecord, userRepository } from "./repositories/users";
export { type MergeFn, type StoredDoc, type YjsUpdateRow, yjsRepository } from "./repositories/yjs";
export { DEMO_PASSWORD, type DemoLogin, demoLogins, demoRound, seedDemo } from "./seed";
export {
  DEMO_COMMITTEE_MEETING_TITLE,
  DEMO_COMMITTEE_NAME,
  DEMO_DEFENSE_HELD_TITLE,
  DEMO_DEFENSE_UPCOMING_TITLE,
  seedDemoPanels,
} from "./seed-panels";
export {
  DEMO_DECIDED_MEETING_TITLE,
  DEMO_SENIOR_COMMITTEE_NAME,
  DEMO_SENIOR_MEETING_TITLE,
  seedDemoDecisions,
} from "./seed-results";
export { isDatabaseUnavailable } from "./unavailable";
