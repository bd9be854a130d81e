import { type Db, notificationRepository } from "@titles/db";

/** SMS texts; the signature 【…】 is required by Chinese SMS gateways. */
const templates = {
  "register-code": "【北京市职称评审】您的注册验证码为 {code}，5 分钟内有效。请勿将验证码告诉他人。",
  "login-code": "【北京市职称评审】您的登录验证码为 {code}，5 分钟内有效。",
  registered: "【北京市职称评审】{name}，您已完成实名注册。请在申报时间内登录系统填报职称申报信息。",
  "submitted-to-employer":
    "【北京市职称评审】您的职称申报已提交{unit}审核。请下载打印申报信息表、诚信承诺书和公示模板，签字后交单位。单位公示不少于5个工作日，建议{by}前完成公示。",
  "employer-new-application": "【北京市职称评审】{name}提交了职称申报，请登录系统审核。",
  "employer-accepted": "【北京市职称评审】单位已受理您的职称申报，将组织不少于5个工作日的公示。",
  "employer-returned": "【北京市职称评审】单位退回了您的职称申报：{reason}。请修改后重新提交。",
  "publicity-started": "【北京市职称评审】单位已开始公示您的职称申报，公示期{start}至{end}。",
  "objection-upheld": "【北京市职称评审】经核实，公示期间的异议成立，您的职称申报已终止：{reason}。",
  recommended: "【北京市职称评审】单位已完成公示并推荐。请在{closes}前上传盖章材料并确认申报。",
  confirmed: "【北京市职称评审】您已确认申报，请等待评审机构审核。审核结果将以短信通知。",
  "correction-requested":
    "【北京市职称评审】评审机构对您的职称申报一次性告知{count}项需补正的问题，请于{deadline}前登录系统补正并重新提交，逾期视为放弃。",
  "correction-deadline-near":
    "【北京市职称评审】提醒：您的职称申报补正截止日期为{deadline}，尚未重新提交，逾期视为放弃申报。",
  "correction-resubmitted": "【北京市职称评审】{name}已提交补正材料，请登录系统复审。",
  "material-change":
    "【北京市职称评审】您的补正构成实质性变更，需由单位重新公示不少于5个工作日后方可上传补正材料。",
  "employer-republicity": "【北京市职称评审】{name}的职称申报补正构成实质性变更，请重新组织公示并推荐。",
  approved: "【北京市职称评审】您的职称申报已通过审核。请于{due}前缴纳评审费{amount}元，逾期视为放弃。",
  "review-declined": "【北京市职称评审】您的职称申报未通过审核：{reason}。",
  "payment-received": "【北京市职称评审】已收到您缴纳的评审费{amount}元，申报完成。电子票据可在系统中下载。",
  "payment-due-near": "【北京市职称评审】提醒：评审费缴费截止日期为{due}，逾期视为放弃申报。",
  "given-up": "【北京市职称评审】您的职称申报因{what}已逾期，视为放弃。如有疑问请联系评审机构。",
  "district-received": "【北京市职称评审】区人力社保局已收到您的直通车申报材料，将组织审核和推荐。",
  "district-recommended":
    "【北京市职称评审】您已通过区推荐委员会推荐，区人力社保局将把您的申报报送评审机构。",
  "district-declined": "【北京市职称评审】您的直通车申报未获区推荐委员会推荐：{reason}。",
  "evaluation-result":
    "【北京市职称评审】您的职称评审结果为：{result}。通过人员名单将按规定公示不少于5个工作日，请留意系统通知。",
  "result-publicity":
    "【北京市职称评审】您取得{qualification}资格的评审结果正在公示，公示期{start}至{end}。公示期满无异议后将签发电子职称证书。",
  "result-not-passed":
    "【北京市职称评审】您的职称评审结果为未通过。如对结果有异议，可在{end}前登录系统申请复查。",
  "result-final":
    "【北京市职称评审】您的职称评审结果公示期满，已确认取得{qualification}资格。电子职称证书签发后将另行短信通知。",
  "defense-notice":
    "【北京市职称评审】您的职称答辩安排在{date} {time}，地点：{venue}。{requirements}请携带身份证件按时到场。",
  "defense-requirements": "【北京市职称评审】您{date} {time}在{venue}的职称答辩防疫要求：{requirements}",
  "certificate-ready":
    "【北京市职称评审】您的{qualification}电子职称证书已签发，证书编号{number}。请登录系统在“专业技术人员资格证书”栏目下载。",
  "certificate-revoked":
    "【北京市职称评审】您编号为{number}的电子职称证书已被撤销：{reason}。如有疑问请联系市人力社保局。",
  "complaint-received":
    "【北京市职称评审】您的投诉已受理，投诉编号{reference}。请凭投诉编号和本手机号在“投诉查询”中查看处理结果。",
  "complaint-outcome": "【北京市职称评审】您的投诉（编号{reference}）已处理：{outcome}。理由：{reason}",
  "complaint-applicant-outcome":
    "【北京市职称评审】关于您的职称评审结果的{kind}（编号{reference}）已处理：{outcome}。理由：{reason}",
} as const;

export type SmsTemplate = keyof typeof templates;

export function renderSms(template: SmsTemplate, params: Record<string, string | number>): string {
  return templates[template].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));
}

/** Every message is an outbox row first, written in the caller's transaction. */
export async function enqueueSms(
  tx: Db,
  input: {
    userId: string | null;
    phone: string;
    template: SmsTemplate;
    params: Record<string, string | number>;
    /** The application the message is about (its message history on the status page). */
    applicationId?: string | null;
    at: Date;
  },
): Promise<void> {
  // The code itself is only in the body (which the simulator page shows); params keep no secret.
  const { code: _code, ...params } = input.params;
  await notificationRepository.enqueue(tx, {
    userId: input.userId,
    phone: input.phone,
    template: input.template,
    params,
    body: renderSms(input.template, input.params),
    applicationId: input.applicationId ?? null,
    at: input.at,
  });
}
