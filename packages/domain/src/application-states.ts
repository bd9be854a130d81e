import type { Labels } from "./catalog";

/**
 * Every state of an application, in the order of the happy path, then the
 * end states. See docs/decisions/0002-application-states.md.
 */
export const applicationStates = [
  "draft",
  "submitted",
  "employer_returned",
  "employer_accepted",
  "publicity",
  "recommended",
  "confirmed",
  "correction_requested",
  "republicity_required",
  "district_review",
  "district_recommended",
  "approved",
  "complete",
  "defense_scheduled",
  "evaluating",
  "passed",
  "result_publicity",
  "final",
  "certified",
  "returned",
  "objection_upheld",
  "abandoned",
  "withdrawn",
  "failed",
  "revoked",
] as const;
export type ApplicationState = (typeof applicationStates)[number];

export const terminalStates = [
  "returned",
  "objection_upheld",
  "abandoned",
  "withdrawn",
  "failed",
  "revoked",
] as const satisfies readonly ApplicationState[];
export type TerminalState = (typeof terminalStates)[number];

export function isTerminal(state: ApplicationState): state is TerminalState {
  return (terminalStates as readonly string[]).includes(state);
}

export function isApplicationState(value: string): value is ApplicationState {
  return (applicationStates as readonly string[]).includes(value);
}

export const applicationEventTypes = [
  "submitToEmployer",
  "employerReturn",
  "employerAccept",
  "startPublicity",
  "recordObjection",
  "recommend",
  "confirm",
  "requestCorrection",
  "judgeMaterialChange",
  "resubmit",
  "forwardToDistrict",
  "districtRecommend",
  "districtDecline",
  "approve",
  "decline",
  "pay",
  "scheduleDefense",
  "startEvaluation",
  "ballotResult",
  "publishResult",
  "complaintUpheld",
  "reEvaluate",
  "finalise",
  "issueCertificate",
  "revoke",
  "deadlinePassed",
  "withdraw",
] as const;
export type ApplicationEventType = (typeof applicationEventTypes)[number];

export const applicationStateLabels: Readonly<Record<ApplicationState, Labels>> = {
  draft: { "zh-CN": "草稿", en: "Draft" },
  submitted: { "zh-CN": "待单位审核", en: "Submitted to employer" },
  employer_returned: { "zh-CN": "单位退回修改", en: "Returned by employer" },
  employer_accepted: { "zh-CN": "单位审核通过", en: "Accepted by employer" },
  publicity: { "zh-CN": "单位公示中", en: "Employer publicity running" },
  recommended: { "zh-CN": "单位已推荐", en: "Recommended by employer" },
  confirmed: {
    "zh-CN": "已确认申报",
    en: "Confirmed, awaiting agency review",
  },
  correction_requested: { "zh-CN": "待补正", en: "Correction requested" },
  republicity_required: {
    "zh-CN": "需单位重新公示",
    en: "New employer publicity required",
  },
  district_review: { "zh-CN": "区人社局审核中", en: "District bureau review" },
  district_recommended: {
    "zh-CN": "区推委会已推荐",
    en: "Recommended by the district, awaiting agency review",
  },
  approved: { "zh-CN": "审核通过，待缴费", en: "Approved, payment due" },
  complete: { "zh-CN": "申报完成", en: "Application complete" },
  defense_scheduled: { "zh-CN": "已安排答辩", en: "Defense scheduled" },
  evaluating: { "zh-CN": "评审中", en: "Under evaluation" },
  passed: { "zh-CN": "评审通过", en: "Passed evaluation" },
  result_publicity: { "zh-CN": "评审结果公示中", en: "Result publicity running" },
  final: { "zh-CN": "公示无异议", en: "Result final" },
  certified: { "zh-CN": "已发电子证书", en: "Certificate issued" },
  returned: { "zh-CN": "审核未通过", en: "Declined by reviewer" },
  objection_upheld: {
    "zh-CN": "公示异议成立",
    en: "Publicity objection upheld",
  },
  abandoned: { "zh-CN": "视为放弃申报", en: "Deemed abandoned" },
  withdrawn: { "zh-CN": "已撤回", en: "Withdrawn" },
  failed: { "zh-CN": "未通过评审", en: "Not passed" },
  revoked: { "zh-CN": "证书已撤销", en: "Certificate revoked" },
};

export const applicationEventLabels: Readonly<Record<ApplicationEventType, Labels>> = {
  submitToEmployer: { "zh-CN": "提交单位审核", en: "Submit to employer" },
  employerReturn: { "zh-CN": "单位退回", en: "Employer returns" },
  employerAccept: { "zh-CN": "单位审核通过", en: "Employer accepts" },
  startPublicity: { "zh-CN": "开始公示", en: "Start publicity" },
  recordObjection: { "zh-CN": "登记公示异议", en: "Record objection" },
  recommend: { "zh-CN": "填写推荐意见并盖章", en: "Recommend and stamp" },
  confirm: { "zh-CN": "上传盖章材料并确认申报", en: "Upload and confirm" },
  requestCorrection: { "zh-CN": "一次性告知补正", en: "Request correction" },
  judgeMaterialChange: {
    "zh-CN": "认定补正内容重大变化",
    en: "Judge correction a material change",
  },
  resubmit: { "zh-CN": "提交补正材料", en: "Resubmit corrected materials" },
  forwardToDistrict: { "zh-CN": "报送区人社局", en: "Send to district bureau" },
  districtRecommend: { "zh-CN": "区推委会推荐", en: "District recommends" },
  districtDecline: { "zh-CN": "区人社局不予推荐", en: "District declines" },
  approve: { "zh-CN": "审核通过", en: "Approve" },
  decline: { "zh-CN": "审核不通过", en: "Decline" },
  pay: { "zh-CN": "缴费", en: "Pay" },
  scheduleDefense: { "zh-CN": "安排答辩", en: "Schedule defense" },
  startEvaluation: { "zh-CN": "开始评审", en: "Start evaluation" },
  ballotResult: { "zh-CN": "投票结果", en: "Ballot result" },
  publishResult: { "zh-CN": "公示评审结果", en: "Publish result" },
  complaintUpheld: { "zh-CN": "投诉经复查属实", en: "Complaint upheld" },
  reEvaluate: { "zh-CN": "复查成立，退回重新评审", en: "Re-review upheld, back to the committee" },
  finalise: { "zh-CN": "公示期满", en: "Finalise result" },
  issueCertificate: { "zh-CN": "发放电子证书", en: "Issue certificate" },
  revoke: { "zh-CN": "撤销证书", en: "Revoke certificate" },
  deadlinePassed: { "zh-CN": "期限已过", en: "Deadline passed" },
  withdraw: { "zh-CN": "撤回申报", en: "Withdraw" },
};
