import { z } from "zod";
import { type SubmissionDocument, submissionDocumentLabels } from "./application-form";
import { applicationEventLabels, applicationStateLabels, isApplicationState } from "./application-states";
import { isLevel, isSeries, isTrack, type Locale, levelLabels, seriesLabels, trackLabels } from "./catalog";
import { type CorrectionItemProblem, correctionItemProblemLabels } from "./correction-problems";
import { idTypeLabels, idTypes } from "./id-types";
import { type PasswordProblem, passwordProblemLabels } from "./password";

/**
 * Every rule violation the domain can report. The code is stable (stored,
 * sent to clients); the params listed after each code fill its message.
 */
export const DomainErrorCode = {
  /** idType: the number is not the shape that document type has. */
  ID_NUMBER_FORMAT: "ID_NUMBER_FORMAT",
  /** The GB 11643 check character does not match. */
  ID_CHECK_DIGIT: "ID_CHECK_DIGIT",
  /** Digits 7–14 are not a real birth date (or before 1900, or in the future). */
  ID_BIRTH_DATE: "ID_BIRTH_DATE",
  PASSPORT_FORMAT: "PASSPORT_FORMAT",
  PHONE_FORMAT: "PHONE_FORMAT",
  NAME_FORMAT: "NAME_FORMAT",
  /** problems: comma-separated PasswordProblem list. */
  PASSWORD_WEAK: "PASSWORD_WEAK",
  PASSWORD_MISMATCH: "PASSWORD_MISMATCH",
  ALREADY_REGISTERED: "ALREADY_REGISTERED",
  /** attemptsLeft */
  SMS_CODE_WRONG: "SMS_CODE_WRONG",
  SMS_CODE_EXPIRED: "SMS_CODE_EXPIRED",
  /** The code was already used once. */
  SMS_CODE_USED: "SMS_CODE_USED",
  SMS_CODE_TOO_MANY_ATTEMPTS: "SMS_CODE_TOO_MANY_ATTEMPTS",
  /** seconds */
  SMS_RESEND_TOO_SOON: "SMS_RESEND_TOO_SOON",
  LOGIN_FAILED: "LOGIN_FAILED",
  /** seconds, minutes (rounded up) */
  LOGIN_THROTTLED: "LOGIN_THROTTLED",
  SESSION_INVALID: "SESSION_INVALID",
  SESSION_EXPIRED: "SESSION_EXPIRED",
  /** reason */
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  /** where (zh-CN), whereEn, series, level */
  OTHER_AUTHORITY: "OTHER_AUTHORITY",
  /** series, level: that level is not evaluated in that series (e.g. exam only). */
  NO_SUCH_LEVEL: "NO_SUCH_LEVEL",
  /** series, level, track: the track does not exist (here or this round); offered lists what does. */
  NO_SUCH_TRACK: "NO_SUCH_TRACK",
  /** year, series, level, track */
  NOT_THIS_ROUND: "NOT_THIS_ROUND",
  /** opens, closes */
  WINDOW_NOT_OPEN: "WINDOW_NOT_OPEN",
  /** opens, closes */
  WINDOW_CLOSED: "WINDOW_CLOSED",
  /** from (state), event */
  INVALID_TRANSITION: "INVALID_TRANSITION",
  /** days, min (working days) */
  PUBLICITY_TOO_SHORT: "PUBLICITY_TOO_SHORT",
  /** end (last publicity day) */
  PUBLICITY_NOT_ENDED: "PUBLICITY_NOT_ENDED",
  /** deadline */
  DEADLINE_PASSED: "DEADLINE_PASSED",
  /** deadline: a deadline event arrived before the deadline was over. */
  DEADLINE_NOT_REACHED: "DEADLINE_NOT_REACHED",
  /** The one-time correction notice (一次性告知) was already sent. */
  CORRECTION_ALREADY_REQUESTED: "CORRECTION_ALREADY_REQUESTED",
  /** itemProblems: "position:problem" list (1-based) of notice items pointing at no field or material. */
  CORRECTION_TARGET_UNKNOWN: "CORRECTION_TARGET_UNKNOWN",
  /** itemProblems: the items of a further notice that do not concern material the correction introduced. */
  CORRECTION_SECOND_NOTICE_REFUSED: "CORRECTION_SECOND_NOTICE_REFUSED",
  /** A material change was judged, but no correction notice was ever sent. */
  CORRECTION_NOT_REQUESTED: "CORRECTION_NOT_REQUESTED",
  /** deadline: through-train files reach the district bureau by this day. */
  DISTRICT_DEADLINE_PASSED: "DISTRICT_DEADLINE_PASSED",
  /** from (state): the district records its check and its committee's decision only while reviewing. */
  DISTRICT_NOT_IN_REVIEW: "DISTRICT_NOT_IN_REVIEW",
  /** The recommendation committee decides once the on-site check is recorded. */
  DISTRICT_CHECK_MISSING: "DISTRICT_CHECK_MISSING",
  /** A file that failed its on-site check cannot be recommended. */
  DISTRICT_CHECK_FAILED: "DISTRICT_CHECK_FAILED",
  /** expected, paid: amounts in yuan, two decimals. */
  PAYMENT_AMOUNT_MISMATCH: "PAYMENT_AMOUNT_MISMATCH",
  /** There is no fee order waiting to be paid (not approved yet, already paid, or lapsed). */
  PAYMENT_NOT_OPEN: "PAYMENT_NOT_OPEN",
  /** The payment provider could not be reached; trying again later may work. */
  PAYMENT_UNAVAILABLE: "PAYMENT_UNAVAILABLE",
  /** members, present, needed */
  QUORUM_NOT_MET: "QUORUM_NOT_MET",
  /** members */
  COMMITTEE_SIZE_EVEN: "COMMITTEE_SIZE_EVEN",
  /** members, min */
  COMMITTEE_TOO_SMALL: "COMMITTEE_TOO_SMALL",
  /** date, from, to: defenses are held in the round's defense months. */
  DEFENSE_OUTSIDE_WINDOW: "DEFENSE_OUTSIDE_WINDOW",
  /** level: junior titles are evaluated without a defense. */
  DEFENSE_NOT_NEEDED: "DEFENSE_NOT_NEEDED",
  /** start, capacity */
  DEFENSE_SLOT_FULL: "DEFENSE_SLOT_FULL",
  /** criterion, value */
  SCORE_OUT_OF_RANGE: "SCORE_OUT_OF_RANGE",
  /** missing: criteria not scored yet. */
  SCORE_INCOMPLETE: "SCORE_INCOMPLETE",
  /** The score sheet was submitted and is locked. */
  SCORE_SUBMITTED: "SCORE_SUBMITTED",
  /** The applicant did not come to the defense (no-show): there is nothing to score. */
  DEFENSE_NO_SHOW: "DEFENSE_NO_SHOW",
  /** date: check-in opens on the day of the defense session. */
  DEFENSE_NOT_YET: "DEFENSE_NOT_YET",
  /** Only a member of the review group writes its opinion. */
  NOT_REVIEW_GROUP_MEMBER: "NOT_REVIEW_GROUP_MEMBER",
  /** The meeting is closed: the review groups' opinions are final. */
  REVIEW_OPINION_CLOSED: "REVIEW_OPINION_CLOSED",
  NOT_MEETING_MEMBER: "NOT_MEETING_MEMBER",
  /** Only the chair may do this. */
  NOT_CHAIR: "NOT_CHAIR",
  NOT_ON_AGENDA: "NOT_ON_AGENDA",
  /** The expert is recused from this applicant. */
  RECUSED: "RECUSED",
  /** kind: the action belongs to another kind of meeting. */
  MEETING_KIND: "MEETING_KIND",
  /** state */
  MEETING_ROLL_CALL_DONE: "MEETING_ROLL_CALL_DONE",
  /** state */
  MEETING_NOT_IN_SESSION: "MEETING_NOT_IN_SESSION",
  /** state */
  BALLOT_NOT_OPEN: "BALLOT_NOT_OPEN",
  BALLOT_ALREADY_VOTED: "BALLOT_ALREADY_VOTED",
  /** state */
  BALLOT_ALREADY_HELD: "BALLOT_ALREADY_HELD",
  BALLOT_ANOTHER_OPEN: "BALLOT_ANOTHER_OPEN",
  /** Absent at roll call: no vote, no proxy. */
  BALLOT_NOT_PRESENT: "BALLOT_NOT_PRESENT",
  /** state */
  BALLOT_NOT_CLOSED: "BALLOT_NOT_CLOSED",
  BALLOT_STILL_OPEN: "BALLOT_STILL_OPEN",
  /** size, eligible */
  DRAW_POOL_TOO_SMALL: "DRAW_POOL_TOO_SMALL",
  /** discipline */
  DRAW_DISCIPLINE_UNCOVERED: "DRAW_DISCIPLINE_UNCOVERED",
  /** experts */
  REVIEW_GROUP_TOO_SMALL: "REVIEW_GROUP_TOO_SMALL",
  /** start, end */
  TERM_TOO_LONG: "TERM_TOO_LONG",
  /** from: the application's state; a committee takes defended (or junior, complete) applications. */
  AGENDA_NOT_ELIGIBLE: "AGENDA_NOT_ELIGIBLE",
  /** The expert is already recused from this applicant in this meeting. */
  ALREADY_RECUSED: "ALREADY_RECUSED",
  /** The applicant's ballot has been opened: a recusal now would change who votes. */
  RECUSAL_TOO_LATE: "RECUSAL_TOO_LATE",
  /** details */
  CALENDAR_INVALID: "CALENDAR_INVALID",
  /** details */
  VALIDATION: "VALIDATION",
  /** maxMb */
  UPLOAD_TOO_LARGE: "UPLOAD_TOO_LARGE",
  /** detected (zh-CN label), detectedEn: what the content really is, whatever its name says. */
  UPLOAD_TYPE_NOT_ALLOWED: "UPLOAD_TYPE_NOT_ALLOWED",
  /** maxMp: megapixels an image may have (an "image bomb" is refused before it is decoded). */
  UPLOAD_IMAGE_TOO_MANY_PIXELS: "UPLOAD_IMAGE_TOO_MANY_PIXELS",
  /** what (zh-CN), whatEn: JavaScript, launch actions or embedded files found in a PDF. */
  UPLOAD_PDF_ACTIVE_CONTENT: "UPLOAD_PDF_ACTIVE_CONTENT",
  UPLOAD_UNREADABLE: "UPLOAD_UNREADABLE",
  /** A HEIC photo reached the server: the browser could not convert it. */
  UPLOAD_HEIC_NOT_DECODED: "UPLOAD_HEIC_NOT_DECODED",
  /** The resumable upload has not received all its bytes yet. */
  UPLOAD_INCOMPLETE: "UPLOAD_INCOMPLETE",
  APPLICATION_EXISTS: "APPLICATION_EXISTS",
  FORM_INCOMPLETE: "FORM_INCOMPLETE",
  MATERIALS_MISSING: "MATERIALS_MISSING",
  SUBMISSION_DOCUMENTS_MISSING: "SUBMISSION_DOCUMENTS_MISSING",
  EMPLOYER_SCANS_MISSING: "EMPLOYER_SCANS_MISSING",
  /** days, min (working days): a result publicity (评审结果公示) shorter than the minimum. */
  RESULT_PUBLICITY_TOO_SHORT: "RESULT_PUBLICITY_TOO_SHORT",
  /** start: a result publicity cannot begin before today. */
  RESULT_PUBLICITY_START_PAST: "RESULT_PUBLICITY_START_PAST",
  /** The batch lists no decided application. */
  RESULT_BATCH_EMPTY: "RESULT_BATCH_EMPTY",
  /** The batch was already published: its entries and dates are fixed. */
  RESULT_BATCH_NOT_DRAFT: "RESULT_BATCH_NOT_DRAFT",
  /** The batch is not in its publicity (still a draft, or ended). */
  RESULT_BATCH_NOT_IN_PUBLICITY: "RESULT_BATCH_NOT_IN_PUBLICITY",
  /** level: the application's level belongs to the other level group (and publisher). */
  RESULT_BATCH_LEVEL_MISMATCH: "RESULT_BATCH_LEVEL_MISMATCH",
  /** name: the applicant's result is already in a batch. */
  RESULT_ALREADY_IN_BATCH: "RESULT_ALREADY_IN_BATCH",
  /** name: the committee has not decided this application (not passed or failed). */
  RESULT_NOT_DECIDED: "RESULT_NOT_DECIDED",
  /** end: the last publicity day; complaints are accepted until its 24:00 Asia/Shanghai. */
  COMPLAINT_WINDOW_CLOSED: "COMPLAINT_WINDOW_CLOSED",
  /** start: the first publicity day. */
  COMPLAINT_WINDOW_NOT_OPEN: "COMPLAINT_WINDOW_NOT_OPEN",
  /** No complaint with that reference and phone number (never says which one was wrong). */
  COMPLAINT_NOT_FOUND: "COMPLAINT_NOT_FOUND",
  COMPLAINT_ALREADY_DECIDED: "COMPLAINT_ALREADY_DECIDED",
  /** The entry is not on the public list (e.g. an unlisted failed result). */
  COMPLAINT_ENTRY_NOT_LISTED: "COMPLAINT_ENTRY_NOT_LISTED",
  /** A re-review (复查) is asked for one's own result only. */
  RE_REVIEW_NOT_OWN: "RE_REVIEW_NOT_OWN",
  RE_REVIEW_ALREADY_OPEN: "RE_REVIEW_ALREADY_OPEN",
  /** No re-review now: the result is not in a batch under publicity, or there is nothing to re-review. */
  RE_REVIEW_NOT_AVAILABLE: "RE_REVIEW_NOT_AVAILABLE",
  /** number: wrong shape or wrong ISO 7064 check character. */
  CERTIFICATE_NUMBER_INVALID: "CERTIFICATE_NUMBER_INVALID",
  /** number: well-formed, but this bureau never issued it ("not ours"). */
  CERTIFICATE_NOT_FOUND: "CERTIFICATE_NOT_FOUND",
  /** The QR token does not belong to the certificate number. */
  CERTIFICATE_TOKEN_MISMATCH: "CERTIFICATE_TOKEN_MISMATCH",
  CERTIFICATE_ALREADY_REVOKED: "CERTIFICATE_ALREADY_REVOKED",
  /** name: the result is not final (or already certified). */
  CERTIFICATE_NOT_ISSUABLE: "CERTIFICATE_NOT_ISSUABLE",
  /** name: a complaint or re-review on the result is still open; no certificate until it is decided. */
  RESULT_UNDER_COMPLAINT: "RESULT_UNDER_COMPLAINT",
  /** A bulk issuance for the batch is already running. */
  ISSUANCE_RUNNING: "ISSUANCE_RUNNING",
  /** The database cannot be reached right now (stopped, restarting): nothing was changed; try again. */
  DATABASE_UNAVAILABLE: "DATABASE_UNAVAILABLE",
  /** seconds, minutes (rounded up): too many requests of one kind from one address or one account. */
  RATE_LIMITED: "RATE_LIMITED",
  /** A state-changing request sent by a page on another site (CSRF) or a socket opened from one. */
  CROSS_SITE_REQUEST: "CROSS_SITE_REQUEST",
} as const;
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];
export const domainErrorCodes = Object.values(DomainErrorCode) as readonly DomainErrorCode[];
export const ZDomainErrorCode = z.enum(domainErrorCodes as [DomainErrorCode, ...DomainErrorCode[]]);

export type DomainErrorParams = Record<string, string | number>;

/** How a transport should treat a code (HTTP status, tRPC code, socket ack). */
export type ErrorCategory =
  | "bad-input"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "rate-limited"
  /** The service cannot answer right now (503); the request may be repeated as is. */
  | "unavailable";

export const errorCategories: Readonly<Record<DomainErrorCode, ErrorCategory>> = {
  ID_NUMBER_FORMAT: "bad-input",
  ID_CHECK_DIGIT: "bad-input",
  ID_BIRTH_DATE: "bad-input",
  PASSPORT_FORMAT: "bad-input",
  PHONE_FORMAT: "bad-input",
  NAME_FORMAT: "bad-input",
  PASSWORD_WEAK: "bad-input",
  PASSWORD_MISMATCH: "bad-input",
  ALREADY_REGISTERED: "conflict",
  SMS_CODE_WRONG: "bad-input",
  SMS_CODE_EXPIRED: "bad-input",
  SMS_CODE_USED: "bad-input",
  SMS_CODE_TOO_MANY_ATTEMPTS: "rate-limited",
  SMS_RESEND_TOO_SOON: "rate-limited",
  LOGIN_FAILED: "unauthenticated",
  LOGIN_THROTTLED: "rate-limited",
  SESSION_INVALID: "unauthenticated",
  SESSION_EXPIRED: "unauthenticated",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not-found",
  OTHER_AUTHORITY: "conflict",
  NO_SUCH_LEVEL: "bad-input",
  NO_SUCH_TRACK: "bad-input",
  NOT_THIS_ROUND: "conflict",
  WINDOW_NOT_OPEN: "conflict",
  WINDOW_CLOSED: "conflict",
  INVALID_TRANSITION: "conflict",
  PUBLICITY_TOO_SHORT: "bad-input",
  PUBLICITY_NOT_ENDED: "conflict",
  DEADLINE_PASSED: "conflict",
  DEADLINE_NOT_REACHED: "conflict",
  CORRECTION_ALREADY_REQUESTED: "conflict",
  CORRECTION_TARGET_UNKNOWN: "bad-input",
  CORRECTION_SECOND_NOTICE_REFUSED: "conflict",
  CORRECTION_NOT_REQUESTED: "conflict",
  DISTRICT_DEADLINE_PASSED: "conflict",
  DISTRICT_NOT_IN_REVIEW: "conflict",
  DISTRICT_CHECK_MISSING: "conflict",
  DISTRICT_CHECK_FAILED: "conflict",
  PAYMENT_AMOUNT_MISMATCH: "bad-input",
  PAYMENT_NOT_OPEN: "conflict",
  PAYMENT_UNAVAILABLE: "conflict",
  QUORUM_NOT_MET: "conflict",
  COMMITTEE_SIZE_EVEN: "bad-input",
  COMMITTEE_TOO_SMALL: "bad-input",
  DEFENSE_OUTSIDE_WINDOW: "bad-input",
  DEFENSE_NOT_NEEDED: "bad-input",
  DEFENSE_SLOT_FULL: "conflict",
  SCORE_OUT_OF_RANGE: "bad-input",
  SCORE_INCOMPLETE: "bad-input",
  SCORE_SUBMITTED: "conflict",
  DEFENSE_NO_SHOW: "conflict",
  DEFENSE_NOT_YET: "conflict",
  NOT_REVIEW_GROUP_MEMBER: "forbidden",
  REVIEW_OPINION_CLOSED: "conflict",
  NOT_MEETING_MEMBER: "forbidden",
  NOT_CHAIR: "forbidden",
  NOT_ON_AGENDA: "bad-input",
  RECUSED: "forbidden",
  MEETING_KIND: "conflict",
  MEETING_ROLL_CALL_DONE: "conflict",
  MEETING_NOT_IN_SESSION: "conflict",
  BALLOT_NOT_OPEN: "conflict",
  BALLOT_ALREADY_VOTED: "conflict",
  BALLOT_ALREADY_HELD: "conflict",
  BALLOT_ANOTHER_OPEN: "conflict",
  BALLOT_NOT_PRESENT: "forbidden",
  BALLOT_NOT_CLOSED: "conflict",
  BALLOT_STILL_OPEN: "conflict",
  DRAW_POOL_TOO_SMALL: "conflict",
  DRAW_DISCIPLINE_UNCOVERED: "conflict",
  REVIEW_GROUP_TOO_SMALL: "bad-input",
  TERM_TOO_LONG: "bad-input",
  AGENDA_NOT_ELIGIBLE: "conflict",
  ALREADY_RECUSED: "conflict",
  RECUSAL_TOO_LATE: "conflict",
  CALENDAR_INVALID: "bad-input",
  VALIDATION: "bad-input",
  UPLOAD_TOO_LARGE: "bad-input",
  UPLOAD_TYPE_NOT_ALLOWED: "bad-input",
  UPLOAD_IMAGE_TOO_MANY_PIXELS: "bad-input",
  UPLOAD_PDF_ACTIVE_CONTENT: "bad-input",
  UPLOAD_UNREADABLE: "bad-input",
  UPLOAD_HEIC_NOT_DECODED: "bad-input",
  UPLOAD_INCOMPLETE: "conflict",
  APPLICATION_EXISTS: "conflict",
  FORM_INCOMPLETE: "bad-input",
  MATERIALS_MISSING: "bad-input",
  SUBMISSION_DOCUMENTS_MISSING: "bad-input",
  EMPLOYER_SCANS_MISSING: "bad-input",
  RESULT_PUBLICITY_TOO_SHORT: "bad-input",
  RESULT_PUBLICITY_START_PAST: "bad-input",
  RESULT_BATCH_EMPTY: "bad-input",
  RESULT_BATCH_NOT_DRAFT: "conflict",
  RESULT_BATCH_NOT_IN_PUBLICITY: "conflict",
  RESULT_BATCH_LEVEL_MISMATCH: "bad-input",
  RESULT_ALREADY_IN_BATCH: "conflict",
  RESULT_NOT_DECIDED: "conflict",
  COMPLAINT_WINDOW_CLOSED: "conflict",
  COMPLAINT_WINDOW_NOT_OPEN: "conflict",
  COMPLAINT_NOT_FOUND: "not-found",
  COMPLAINT_ALREADY_DECIDED: "conflict",
  COMPLAINT_ENTRY_NOT_LISTED: "not-found",
  RE_REVIEW_NOT_OWN: "forbidden",
  RE_REVIEW_ALREADY_OPEN: "conflict",
  RE_REVIEW_NOT_AVAILABLE: "conflict",
  CERTIFICATE_NUMBER_INVALID: "bad-input",
  CERTIFICATE_NOT_FOUND: "not-found",
  CERTIFICATE_TOKEN_MISMATCH: "forbidden",
  CERTIFICATE_ALREADY_REVOKED: "conflict",
  CERTIFICATE_NOT_ISSUABLE: "conflict",
  RESULT_UNDER_COMPLAINT: "conflict",
  ISSUANCE_RUNNING: "conflict",
  DATABASE_UNAVAILABLE: "unavailable",
  RATE_LIMITED: "rate-limited",
  CROSS_SITE_REQUEST: "forbidden",
};

const messages: Readonly<Record<DomainErrorCode, Record<Locale, string>>> = {
  ID_NUMBER_FORMAT: {
    "zh-CN": "证件号码格式不正确（{idType}）。",
    en: "The ID number does not have the format of a {idType}.",
  },
  ID_CHECK_DIGIT: {
    "zh-CN": "证件号码校验位不正确，请核对号码。",
    en: "The ID number's check character is wrong; please check the number.",
  },
  ID_BIRTH_DATE: {
    "zh-CN": "证件号码中的出生日期无效。",
    en: "The birth date inside the ID number is not valid.",
  },
  PASSPORT_FORMAT: {
    "zh-CN": "护照号码应为5至20位字母或数字。",
    en: "A passport number has 5 to 20 letters or digits.",
  },
  PHONE_FORMAT: {
    "zh-CN": "请输入11位中国大陆手机号码。",
    en: "Enter an 11-digit mainland China mobile number.",
  },
  NAME_FORMAT: {
    "zh-CN": "姓名应为2至50个汉字、字母、空格或间隔号“·”。",
    en: "A name has 2 to 50 Chinese characters, letters, spaces or middle dots (·).",
  },
  PASSWORD_MISMATCH: {
    "zh-CN": "两次输入的密码不一致，请重新输入。",
    en: "The two passwords differ; please type them again.",
  },
  PASSWORD_WEAK: {
    "zh-CN": "密码不符合要求：{problems}。",
    en: "The password does not meet the rules: {problems}.",
  },
  ALREADY_REGISTERED: {
    "zh-CN": "该证件号码或手机号码已注册，请直接登录。",
    en: "This ID number or mobile number is already registered; please log in.",
  },
  SMS_CODE_WRONG: {
    "zh-CN": "短信验证码不正确，还可尝试{attemptsLeft}次。",
    en: "The SMS code is wrong; {attemptsLeft} attempts left.",
  },
  SMS_CODE_EXPIRED: {
    "zh-CN": "短信验证码已过期，请重新获取。",
    en: "The SMS code has expired; request a new one.",
  },
  SMS_CODE_USED: {
    "zh-CN": "短信验证码已使用，请重新获取。",
    en: "The SMS code was already used; request a new one.",
  },
  SMS_CODE_TOO_MANY_ATTEMPTS: {
    "zh-CN": "短信验证码错误次数过多，请重新获取。",
    en: "Too many wrong SMS codes; request a new one.",
  },
  SMS_RESEND_TOO_SOON: {
    "zh-CN": "请{seconds}秒后再获取验证码。",
    en: "Wait {seconds} seconds before requesting another code.",
  },
  LOGIN_FAILED: {
    "zh-CN": "账号或密码不正确。",
    en: "The account or password is wrong.",
  },
  LOGIN_THROTTLED: {
    "zh-CN": "登录失败次数过多，请{minutes}分钟后再试。",
    en: "Too many failed logins; try again in {minutes} minutes.",
  },
  SESSION_INVALID: {
    "zh-CN": "登录状态无效，请重新登录。",
    en: "Your session is not valid; please log in again.",
  },
  SESSION_EXPIRED: {
    "zh-CN": "登录已超时，请重新登录。",
    en: "Your session has expired; please log in again.",
  },
  FORBIDDEN: {
    "zh-CN": "无权执行此操作：{reason}",
    en: "You may not do this: {reason}",
  },
  NOT_FOUND: {
    "zh-CN": "未找到相关记录。",
    en: "Not found.",
  },
  OTHER_AUTHORITY: {
    "zh-CN": "本系统不受理该职称申报，{where}。",
    en: "This portal does not accept this application. {whereEn}.",
  },
  NO_SUCH_LEVEL: {
    "zh-CN": "{series}系列不评审{level}职称（该级别通过考试取得）。",
    en: "{series} titles at {level} level are not evaluated (they are obtained by examination).",
  },
  NO_SUCH_TRACK: {
    "zh-CN": "{series}系列{level}职称不开放{track}通道申报。",
    en: "{series} at {level} level is not open on the {track} track.",
  },
  NOT_THIS_ROUND: {
    "zh-CN": "{year}年度不开展{series}系列{level}职称（{track}）申报。",
    en: "The {year} round does not accept {series} applications at {level} level ({track}).",
  },
  WINDOW_NOT_OPEN: {
    "zh-CN": "申报尚未开始，申报时间为{opens}至{closes}。",
    en: "Applications are not open yet; the window runs from {opens} to {closes}.",
  },
  WINDOW_CLOSED: {
    "zh-CN": "申报时间（{opens}至{closes}）已截止，不能再上传和确认。",
    en: "The window ({opens} to {closes}) has closed; uploads and confirmation are no longer possible.",
  },
  INVALID_TRANSITION: {
    "zh-CN": "当前状态“{from}”下不能执行“{event}”。",
    en: "“{event}” is not possible while the application is “{from}”.",
  },
  PUBLICITY_TOO_SHORT: {
    "zh-CN": "公示期为{days}个工作日，不少于{min}个工作日方可。",
    en: "The publicity lasts {days} working days; at least {min} are required.",
  },
  PUBLICITY_NOT_ENDED: {
    "zh-CN": "公示期至{end}结束，公示期满后方可进行下一步。",
    en: "The publicity runs until {end}; the next step is possible once it has ended.",
  },
  DEADLINE_PASSED: {
    "zh-CN": "已超过截止日期（{deadline}）。",
    en: "The deadline ({deadline}) has passed.",
  },
  DEADLINE_NOT_REACHED: {
    "zh-CN": "截止日期（{deadline}）尚未届满。",
    en: "The deadline ({deadline}) has not passed yet.",
  },
  CORRECTION_ALREADY_REQUESTED: {
    "zh-CN": "补正通知只能一次性告知，已发送过补正通知。",
    en: "The correction notice is sent once, with all items; one was already sent.",
  },
  CORRECTION_TARGET_UNKNOWN: {
    "zh-CN": "补正通知中有项目指向的内容不存在：{itemProblems}。",
    en: "Some items of the correction notice point to nothing that exists: {itemProblems}.",
  },
  CORRECTION_SECOND_NOTICE_REFUSED: {
    "zh-CN":
      "补正内容已一次性告知，再次告知只能针对补正时新增或更换的材料。以下项目不能告知：{itemProblems}。",
    en: "All corrections were already notified at once; a further notice may only concern material added or replaced in the correction. Not allowed: {itemProblems}.",
  },
  CORRECTION_NOT_REQUESTED: {
    "zh-CN": "尚未发出补正通知，无法认定补正内容发生重大变化。",
    en: "No correction notice was sent, so there is no correction to judge a material change.",
  },
  DISTRICT_DEADLINE_PASSED: {
    "zh-CN": "“直通车”申报材料应在{deadline}前报送辖区人力资源和社会保障局，报送期限已过。",
    en: "Through-train files had to reach the district HR bureau by {deadline}; that deadline has passed.",
  },
  DISTRICT_NOT_IN_REVIEW: {
    "zh-CN": "该申报当前为“{from}”，不在区人社局审核阶段，不能登记现场核查或推委会意见。",
    en: "The application is “{from}”, not under district review: no on-site check or committee decision can be recorded.",
  },
  DISTRICT_CHECK_MISSING: {
    "zh-CN": "请先登记现场核查情况，再登记推委会推荐意见。",
    en: "Record the on-site check before the recommendation committee's decision.",
  },
  DISTRICT_CHECK_FAILED: {
    "zh-CN": "现场核查未通过，推委会不能推荐该申报人，只能不予推荐并说明理由。",
    en: "The on-site check failed: the committee cannot recommend this applicant, only decline with a reason.",
  },
  PAYMENT_AMOUNT_MISMATCH: {
    "zh-CN": "缴费金额{paid}元与应缴金额{expected}元不一致。",
    en: "The amount paid (¥{paid}) differs from the fee due (¥{expected}).",
  },
  PAYMENT_NOT_OPEN: {
    "zh-CN": "当前没有待缴纳的评审费订单。",
    en: "There is no fee order waiting to be paid.",
  },
  PAYMENT_UNAVAILABLE: {
    "zh-CN": "支付服务暂时无法连接，请稍后再试。",
    en: "The payment service cannot be reached right now; please try again later.",
  },
  QUORUM_NOT_MET: {
    "zh-CN": "出席专家{present}人，未达到委员会{members}人的三分之二（需{needed}人），会议无效。",
    en: "{present} of {members} members present; at least two thirds ({needed}) are needed for a valid meeting.",
  },
  COMMITTEE_SIZE_EVEN: {
    "zh-CN": "评审委员会人数应为单数（当前{members}人）。",
    en: "A committee has an odd number of members (now {members}).",
  },
  COMMITTEE_TOO_SMALL: {
    "zh-CN": "评审委员会人数不少于{min}人（当前{members}人）。",
    en: "The committee needs at least {min} members (now {members}).",
  },
  DEFENSE_OUTSIDE_WINDOW: {
    "zh-CN": "答辩日期{date}不在本年度答辩时间（{from}至{to}）内。",
    en: "The defense date {date} is outside the defense period ({from} to {to}).",
  },
  DEFENSE_NOT_NEEDED: {
    "zh-CN": "{level}职称不组织答辩，直接进入评审。",
    en: "{level} titles are evaluated without a defense.",
  },
  DEFENSE_SLOT_FULL: {
    "zh-CN": "{start}时段已满（最多{capacity}人）。",
    en: "The {start} slot is full (at most {capacity}).",
  },
  SCORE_OUT_OF_RANGE: {
    "zh-CN": "“{criterion}”的分数{value}无效：每项为0到100之间的整数。",
    en: "The score {value} for “{criterion}” is invalid: each criterion takes a whole number from 0 to 100.",
  },
  SCORE_INCOMPLETE: {
    "zh-CN": "以下评分项尚未打分：{missing}。",
    en: "These criteria are not scored yet: {missing}.",
  },
  SCORE_SUBMITTED: {
    "zh-CN": "评分表已提交，不能再修改。",
    en: "The score sheet was submitted and can no longer be changed.",
  },
  DEFENSE_NO_SHOW: {
    "zh-CN": "该申报人未到场参加答辩（已登记缺席），不能评分。",
    en: "This applicant did not attend the defense (recorded as a no-show) and cannot be scored.",
  },
  DEFENSE_NOT_YET: {
    "zh-CN": "答辩日期为{date}，当天起方可签到。",
    en: "The defense is on {date}; check-in opens on that day.",
  },
  NOT_REVIEW_GROUP_MEMBER: {
    "zh-CN": "您不是该评议组的成员，不能填写评议意见。",
    en: "You are not a member of this review group and cannot write its opinion.",
  },
  REVIEW_OPINION_CLOSED: {
    "zh-CN": "评审会议已结束，评议组意见不能再修改。",
    en: "The meeting is closed; the review group's opinion can no longer be changed.",
  },
  NOT_MEETING_MEMBER: {
    "zh-CN": "您不是该会议的成员。",
    en: "You are not a member of this meeting.",
  },
  NOT_CHAIR: {
    "zh-CN": "只有主任委员可以进行此操作。",
    en: "Only the chair can do this.",
  },
  NOT_ON_AGENDA: {
    "zh-CN": "该申报人不在本次会议的议程中。",
    en: "This applicant is not on the meeting's agenda.",
  },
  RECUSED: {
    "zh-CN": "您已回避该申报人，不能查看、评分或投票。",
    en: "You are recused from this applicant: no viewing, scoring or voting.",
  },
  MEETING_KIND: {
    "zh-CN": "该操作不适用于本次会议（{kind}）。",
    en: "This action does not apply to this meeting ({kind}).",
  },
  MEETING_ROLL_CALL_DONE: {
    "zh-CN": "本次会议已完成点名，不能重复点名。",
    en: "The roll call of this meeting has already been taken.",
  },
  MEETING_NOT_IN_SESSION: {
    "zh-CN": "会议尚未开始或已结束（需先点名且达到法定人数）。",
    en: "The meeting is not in session (the roll call must find a quorum first, and it must not be closed).",
  },
  BALLOT_NOT_OPEN: {
    "zh-CN": "该申报人的投票未开启或已结束，不能投票。",
    en: "Voting on this applicant is not open (not started or already closed).",
  },
  BALLOT_ALREADY_VOTED: {
    "zh-CN": "您已对该申报人投过票，每人只能投一次。",
    en: "You have already voted on this applicant; each expert votes once.",
  },
  BALLOT_ALREADY_HELD: {
    "zh-CN": "该申报人已进行过投票，不能重复开启。",
    en: "This applicant has already been voted on; the ballot cannot be opened again.",
  },
  BALLOT_ANOTHER_OPEN: {
    "zh-CN": "另一位申报人的投票尚未结束，请先结束该投票。",
    en: "Another applicant's ballot is still open; close it first.",
  },
  BALLOT_NOT_PRESENT: {
    "zh-CN": "您未在点名时出席，不能投票（不得委托投票或补投）。",
    en: "You were not present at roll call and cannot vote (no proxy, no late vote).",
  },
  BALLOT_NOT_CLOSED: {
    "zh-CN": "投票尚未结束，不能签署结果。",
    en: "The ballot is still open; the result cannot be signed yet.",
  },
  BALLOT_STILL_OPEN: {
    "zh-CN": "仍有投票未结束，不能结束会议。",
    en: "A ballot is still open; the meeting cannot be closed.",
  },
  DRAW_POOL_TOO_SMALL: {
    "zh-CN": "专家库中符合条件的专家只有{eligible}人，不足抽取{size}人。",
    en: "Only {eligible} eligible experts in the pool; {size} are needed.",
  },
  DRAW_DISCIPLINE_UNCOVERED: {
    "zh-CN": "专家库中没有可抽取的“{discipline}”专业专家。",
    en: "No eligible expert in the pool covers “{discipline}”.",
  },
  REVIEW_GROUP_TOO_SMALL: {
    "zh-CN": "评议组至少由3名专家组成（当前{experts}人）。",
    en: "A review group has at least 3 experts (now {experts}).",
  },
  TERM_TOO_LONG: {
    "zh-CN": "专家任期（{start}至{end}）超过3年。",
    en: "The expert's term ({start} to {end}) is longer than 3 years.",
  },
  AGENDA_NOT_ELIGIBLE: {
    "zh-CN": "该申报当前为“{from}”，不能列入评审会议议程：中级、高级须已完成答辩，初级须已完成缴费。",
    en: "This application is “{from}” and cannot join the meeting's agenda: intermediate and senior ones need their defense held, junior ones must be complete.",
  },
  ALREADY_RECUSED: {
    "zh-CN": "该专家已回避该申报人。",
    en: "This expert is already recused from this applicant.",
  },
  RECUSAL_TOO_LATE: {
    "zh-CN": "该申报人的投票已开启，不能再申请回避。",
    en: "Voting on this applicant has begun; a recusal can no longer be declared.",
  },
  CALENDAR_INVALID: {
    "zh-CN": "工作日历有误：{details}",
    en: "The working-day calendar is invalid: {details}",
  },
  VALIDATION: {
    "zh-CN": "输入有误：{details}",
    en: "Invalid input: {details}",
  },
  UPLOAD_TOO_LARGE: {
    "zh-CN": "文件超过 {maxMb} MB，请压缩或拆分后再上传。",
    en: "The file is larger than {maxMb} MB; please compress or split it.",
  },
  UPLOAD_TYPE_NOT_ALLOWED: {
    "zh-CN": "不支持该文件类型（实际内容为：{detected}），请上传 JPEG、PNG、WebP 照片或 PDF 文件。",
    en: "This file type is not accepted (its content is: {detectedEn}); upload JPEG, PNG or WebP photos or PDF files.",
  },
  UPLOAD_IMAGE_TOO_MANY_PIXELS: {
    "zh-CN": "图片像素过多（超过 {maxMp} 百万像素），无法处理，请缩小后再上传。",
    en: "The image has too many pixels (over {maxMp} megapixels) to process; please scale it down.",
  },
  UPLOAD_PDF_ACTIVE_CONTENT: {
    "zh-CN": "出于安全原因不接受含有{what}的 PDF，请另存或打印为普通 PDF 后再上传。",
    en: "For security, PDFs containing {whatEn} are not accepted; save or print it as a plain PDF and upload again.",
  },
  UPLOAD_UNREADABLE: {
    "zh-CN": "文件已损坏或无法读取，请重新导出后再上传。",
    en: "The file is damaged or cannot be read; please export it again.",
  },
  UPLOAD_HEIC_NOT_DECODED: {
    "zh-CN":
      "浏览器无法转换此 HEIC 照片，请在手机相机设置中选择“兼容性最佳”（JPEG）后重新拍摄，或先转换为 JPEG。",
    en: "Your browser could not convert this HEIC photo; set the phone camera to “Most Compatible” (JPEG) or convert it to JPEG first.",
  },
  UPLOAD_INCOMPLETE: {
    "zh-CN": "文件尚未上传完毕，请等待上传完成。",
    en: "The file has not finished uploading yet; please wait until it completes.",
  },
  APPLICATION_EXISTS: {
    "zh-CN": "您在本年度已有一份申报，请继续办理该申报。",
    en: "You already have an application in this round; please continue with it.",
  },
  FORM_INCOMPLETE: {
    "zh-CN": "申报表还有 {count} 处未填写或填写有误，请修改后再提交。",
    en: "The form still has {count} missing or invalid entries; please correct them first.",
  },
  MATERIALS_MISSING: {
    "zh-CN": "请至少上传一份业绩成果材料后再提交。",
    en: "Please upload at least one achievement material before submitting.",
  },
  EMPLOYER_SCANS_MISSING: {
    "zh-CN": "请先上传盖章的推荐材料扫描件（申报信息表推荐意见页、公示材料）。",
    en: "Please upload the stamped scans first (the recommendation page and the publicity material).",
  },
  SUBMISSION_DOCUMENTS_MISSING: {
    "zh-CN": "请先上传：{missing}。",
    en: "Please upload first: {missing}.",
  },
  RESULT_PUBLICITY_TOO_SHORT: {
    "zh-CN": "公示期不少于{min}个工作日，所选期间只有{days}个工作日。",
    en: "The result publicity must last at least {min} working days; the chosen period has only {days}.",
  },
  RESULT_PUBLICITY_START_PAST: {
    "zh-CN": "公示开始日期{start}已过，请选择今天或以后的日期。",
    en: "The publicity start date {start} has passed; choose today or a later date.",
  },
  RESULT_BATCH_EMPTY: {
    "zh-CN": "公示批次中没有评审结果，请至少选择一名已评审的申报人。",
    en: "The batch has no results; select at least one decided applicant.",
  },
  RESULT_BATCH_NOT_DRAFT: {
    "zh-CN": "该批次已发布公示，名单和公示期不能再修改。",
    en: "This batch has been published; its list and publicity dates can no longer change.",
  },
  RESULT_BATCH_NOT_IN_PUBLICITY: {
    "zh-CN": "该批次不在公示期内（尚未发布或已结束）。",
    en: "This batch is not under publicity (not published yet, or ended).",
  },
  RESULT_BATCH_LEVEL_MISMATCH: {
    "zh-CN": "该申报为{level}职称，不属于本批次：高级职称由市人社局公示，中级、初级职称由评审机构公示。",
    en: "This application is for a {level} title and does not belong in this batch: senior results are published by the city bureau, intermediate and junior ones by the agency.",
  },
  RESULT_ALREADY_IN_BATCH: {
    "zh-CN": "{name}的评审结果已列入其他公示批次。",
    en: "{name}'s result is already in another publicity batch.",
  },
  RESULT_NOT_DECIDED: {
    "zh-CN": "{name}的申报尚无评审结果，不能列入公示批次。",
    en: "{name}'s application has no evaluation result yet and cannot join a batch.",
  },
  COMPLAINT_WINDOW_CLOSED: {
    "zh-CN": "该批次公示期已于{end}结束，不再受理投诉。",
    en: "The publicity of this batch ended on {end}; complaints are no longer accepted.",
  },
  COMPLAINT_WINDOW_NOT_OPEN: {
    "zh-CN": "该批次公示期自{start}开始，开始后方可投诉。",
    en: "The publicity of this batch starts on {start}; complaints are accepted from then.",
  },
  COMPLAINT_NOT_FOUND: {
    "zh-CN": "未找到该投诉，请核对受理编号和手机号码。",
    en: "No complaint found; check the reference number and the mobile number.",
  },
  COMPLAINT_ALREADY_DECIDED: {
    "zh-CN": "该投诉已办结，不能重复处理。",
    en: "This complaint has already been decided.",
  },
  COMPLAINT_ENTRY_NOT_LISTED: {
    "zh-CN": "公示名单中没有该评审结果，无法投诉。",
    en: "This result is not on the public list and cannot be complained about.",
  },
  RE_REVIEW_NOT_OWN: {
    "zh-CN": "只能对本人的评审结果申请复查。",
    en: "You can ask for a re-review of your own result only.",
  },
  RE_REVIEW_ALREADY_OPEN: {
    "zh-CN": "您的复查申请正在办理中，请等待处理结果。",
    en: "Your re-review request is being handled; please wait for the outcome.",
  },
  RE_REVIEW_NOT_AVAILABLE: {
    "zh-CN": "当前不能申请复查：仅在评审结果公示期内可对未通过的结果申请复查。",
    en: "A re-review cannot be requested now: it is available for a result that did not pass, during its publicity.",
  },
  CERTIFICATE_NUMBER_INVALID: {
    "zh-CN": "证书编号格式不正确或校验位不符，请核对证书编号（{number}）。",
    en: "The certificate number ({number}) is malformed or its check character is wrong.",
  },
  CERTIFICATE_NOT_FOUND: {
    "zh-CN": "查无此证书：本局未签发编号为{number}的电子职称证书。",
    en: "No such certificate: this bureau has not issued an electronic title certificate numbered {number}.",
  },
  CERTIFICATE_TOKEN_MISMATCH: {
    "zh-CN": "验证码与证书编号不符，请扫描证书上的二维码重新验证。",
    en: "The verification token does not match the certificate number; scan the QR code on the certificate again.",
  },
  CERTIFICATE_ALREADY_REVOKED: {
    "zh-CN": "该证书已撤销。",
    en: "This certificate has already been revoked.",
  },
  CERTIFICATE_NOT_ISSUABLE: {
    "zh-CN": "{name}的评审结果尚未确认（或已发证），不能发放电子证书。",
    en: "{name}'s result is not final (or already certified); no certificate can be issued.",
  },
  RESULT_UNDER_COMPLAINT: {
    "zh-CN": "{name}的评审结果有投诉或复查正在办理，办结前不发放证书。",
    en: "A complaint or re-review about {name}'s result is open; no certificate until it is decided.",
  },
  ISSUANCE_RUNNING: {
    "zh-CN": "该批次的证书正在发放中，请等待完成。",
    en: "Certificates for this batch are being issued; please wait until it finishes.",
  },
  DATABASE_UNAVAILABLE: {
    "zh-CN": "系统暂时无法连接数据库，本次操作未完成，也未保存任何内容。请稍后再试。",
    en: "The system cannot reach its database right now; nothing was done or saved. Please try again shortly.",
  },
  RATE_LIMITED: {
    "zh-CN": "操作过于频繁，请{seconds}秒后再试。",
    en: "Too many requests; try again in {seconds} seconds.",
  },
  CROSS_SITE_REQUEST: {
    "zh-CN": "请求来自其他网站，已被拒绝。请在本系统的页面中重新操作。",
    en: "This request came from another website and was refused. Please try again from this system's own pages.",
  },
};

/** One domain rule violation: a stable code plus the values its message needs. */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly params: DomainErrorParams;

  constructor(code: DomainErrorCode, params: DomainErrorParams = {}) {
    super(messageFor(code, "en", params));
    this.name = "DomainError";
    this.code = code;
    this.params = params;
  }

  toJSON(): { code: DomainErrorCode; params: DomainErrorParams } {
    return { code: this.code, params: this.params };
  }
}

/**
 * A zod failure at a boundary as the VALIDATION error users see: each distinct message once (the
 * schemas carry Chinese messages), the field path where a schema gave none.
 */
export function validationError(error: z.ZodError): DomainError {
  return new DomainError("VALIDATION", {
    details: [...new Set(error.issues.map((i) => i.message || i.path.join(".")))].join("；"),
  });
}

/**
 * What to tell a caller whose request was not JSON, or did not fit the schema: zod's issue dump and the
 * JSON parser's complaint are English internals, so the reader gets one sentence in their language naming
 * at most five fields (found by fuzzing, issue 8). Field names are cut short: a record key is the caller's text.
 */
export function inputRefusalMessage(
  refusal: { unreadable: true } | { issues: ReadonlyArray<{ path?: readonly unknown[] }> },
  locale: Locale,
): string {
  if ("unreadable" in refusal)
    return locale === "en" ? "The request could not be read." : "请求内容无法解析。";
  const fields = [
    ...new Set(
      refusal.issues.map((i) =>
        (i.path ?? [])
          .map((p) =>
            String(p)
              .replace(/[^\p{L}\p{N}_-]/gu, "")
              .slice(0, 40),
          )
          .join("."),
      ),
    ),
  ].slice(0, 5);
  const named = fields.filter(Boolean).join(locale === "en" ? ", " : "、");
  if (locale === "en")
    return named ? `The request is not valid: check ${named}.` : "The request is not valid.";
  return named ? `请求参数不正确：${named}。` : "请求参数不正确。";
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

// Ids travel in params; the message shows their label in the reader's language.
/** Reasons for FORBIDDEN that are codes rather than free text. */
const forbiddenReasons: Record<string, Readonly<Record<Locale, string>>> = {
  "not-yours": { "zh-CN": "这不是您本人的申报", en: "this is not your application" },
  "not-your-unit": { "zh-CN": "该申报不属于您所在的单位", en: "this application is not from your unit" },
  "not-in-correction": {
    "zh-CN": "补正通知没有要求修改这类材料",
    en: "the correction notice does not ask for changes to this kind of material",
  },
  "not-your-agency": {
    "zh-CN": "该申报不属于本评审机构受理的系列，或尚未报送本机构",
    en: "this application is not of a series your agency handles, or has not reached it yet",
  },
  "not-your-district": {
    "zh-CN": "该申报不是本区单位的直通车申报",
    en: "this application is not a through-train file of a unit in your district",
  },
  "not-editable": {
    "zh-CN": "申报已提交，当前不能修改",
    en: "the application was submitted and cannot be changed now",
  },
  "not-employed": { "zh-CN": "您不属于所选单位", en: "you do not work for the chosen unit" },
  "not-publicity": {
    "zh-CN": "单位盖章扫描件只能在公示阶段上传",
    en: "the employer's stamped scans can be uploaded only during the publicity",
  },
  "not-recommended": {
    "zh-CN": "单位推荐后才能上传盖章材料",
    en: "the stamped documents can be uploaded only after the employer's recommendation",
  },
  "not-uploader": { "zh-CN": "这不是您上传的文件", en: "this upload was not made by you" },
};

function labelFor(key: string, value: string, locale: Locale): string {
  if (key === "reason" && forbiddenReasons[value]) return forbiddenReasons[value][locale];
  if (key === "series" && isSeries(value)) return seriesLabels[value][locale];
  if (key === "level" && isLevel(value)) return levelLabels[value][locale];
  if (key === "track" && isTrack(value)) return trackLabels[value][locale];
  if ((key === "from" || key === "to") && isApplicationState(value)) {
    return applicationStateLabels[value][locale];
  }
  if (key === "event") {
    const type = value.split(":")[0] ?? value;
    const labels = (applicationEventLabels as Record<string, Record<Locale, string>>)[type];
    if (labels) return labels[locale];
  }
  if (key === "missing") {
    const labels = value
      .split(",")
      .map((d) => submissionDocumentLabels[d as SubmissionDocument]?.[locale] ?? d);
    return labels.join(locale === "en" ? ", " : "、");
  }
  if (key === "itemProblems") {
    const items = value.split(",").map((entry) => {
      const [n, problem] = entry.split(":");
      if (problem === undefined) return entry;
      const label = correctionItemProblemLabels[problem as CorrectionItemProblem]?.[locale] ?? problem;
      return locale === "en" ? `item ${n}: ${label}` : `第${n}项：${label}`;
    });
    return items.join(locale === "en" ? "; " : "；");
  }
  if (key === "problems") {
    const labels = value.split(",").map((p) => passwordProblemLabels[p as PasswordProblem]?.[locale] ?? p);
    return labels.join(locale === "en" ? "; " : "；");
  }
  if (key === "idType" && (idTypes as readonly string[]).includes(value)) {
    return idTypeLabels[value as keyof typeof idTypeLabels][locale];
  }
  return value;
}

/**
 * The message for a code (or an error) in one locale, params interpolated
 * into `{name}` slots. A slot with no param is left as is, so a missing param
 * shows up in tests rather than as a silently wrong sentence.
 */
export function messageFor(
  codeOrError: DomainErrorCode | DomainError,
  locale: Locale,
  params?: DomainErrorParams,
): string {
  const code = typeof codeOrError === "string" ? codeOrError : codeOrError.code;
  const values = params ?? (typeof codeOrError === "string" ? {} : codeOrError.params);
  const template = messages[code][locale];
  return template.replace(/\{(\w+)\}/g, (slot, key: string) => {
    const v = values[key];
    return v === undefined ? slot : labelFor(key, String(v), locale);
  });
}

/** The `{name}` slots a code's messages use (for tests and documentation). */
export function messageParams(code: DomainErrorCode): string[] {
  const names = new Set<string>();
  for (const template of Object.values(messages[code])) {
    for (const m of template.matchAll(/\{(\w+)\}/g)) {
      if (m[1]) names.add(m[1]);
    }
  }
  return [...names];
}

/** For result-returning functions: `{ ok: true, ... } | { ok: false, error }`. */
export type Result<T extends object> = ({ ok: true } & T) | { ok: false; error: DomainError };
