import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { BatchComplaints } from "~/components/batch-complaints";
import { CertificateIssuance } from "~/components/certificate-issuance";
import type {
  StaffBatchAction,
  StaffBatchData,
  StaffListAction,
  StaffListData,
} from "~/lib/result-pages.server";

/**
 * The staff pages of result batches (公示批次), one component for the agency's intermediate/junior
 * batches and the city bureau's senior ones: the list with “新建公示批次”, and a batch with its entries,
 * publicity dates, publishing, finalisation, complaints and certificate issuance.
 */

const badgeClass = (state: string) =>
  state === "publicity"
    ? "badge badge--open"
    : state === "draft"
      ? "badge badge--upcoming"
      : "badge badge--closed";

function Schedule({ schedule }: { schedule: { evaluationBy: string; publicityBy: string } | null }) {
  const { locale } = useI18n();
  if (!schedule) return null;
  return (
    <p className="meta" data-testid="result-schedule">
      {locale === "en"
        ? `This round: all evaluation finished by ${schedule.evaluationBy}; all result publicity finished by ${schedule.publicityBy}.`
        : `本年度安排：评审工作于 ${schedule.evaluationBy} 前全部完成，评审结果公示于 ${schedule.publicityBy} 前全部结束。`}
    </p>
  );
}

export function ResultBatchListPage() {
  const data = useLoaderData<StaffListData>();
  const result = useActionData<StaffListAction>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const values = result?.values;
  const selected = new Set(values?.selected ?? []);
  const publisher = data.kind === "bureau" ? (en ? "city bureau" : "市人社局") : en ? "agency" : "评审机构";
  return (
    <>
      <PageHeading
        title={en ? `Result publicity (${data.levelGroupLabel})` : `评审结果公示（${data.levelGroupLabel}）`}
        lead={
          en
            ? `Group decided results into a batch and publish it for at least 5 working days. ${data.kind === "bureau" ? "Senior results are published in the city bureau's notice section." : "Intermediate and junior results are published on the agency's pages."}`
            : `将评审委员会已作出决定的结果编入公示批次，公示不少于5个工作日。${data.kind === "bureau" ? "高级职称评审结果在市人社局通知公告栏目公示。" : "中级、初级职称评审结果在评审机构页面公示。"}`
        }
      />
      <Schedule schedule={data.schedule} />
      <p>
        <a href="/results">{en ? "Public result pages" : "公示页面（公众）"}</a>
      </p>

      <Card title={en ? `Batches (${data.batches.length})` : `公示批次（${data.batches.length}）`}>
        {data.batches.length === 0 ? (
          <p className="meta">{en ? "No batch yet." : "尚无公示批次。"}</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="result-batches">
              <thead>
                <tr>
                  <th scope="col">{en ? "Batch" : "批次"}</th>
                  <th scope="col">{en ? "Publisher" : "发布单位"}</th>
                  <th scope="col">{en ? "State" : "状态"}</th>
                  <th scope="col">{en ? "Publicity" : "公示期"}</th>
                  <th scope="col">{en ? "Listed / all" : "公示人数 / 总数"}</th>
                  <th scope="col">{en ? "Pending, open complaints" : "待确认、待处理投诉"}</th>
                </tr>
              </thead>
              <tbody>
                {data.batches.map((b) => (
                  <tr key={b.id}>
                    <td>
                      <a href={b.href}>{b.title}</a>
                    </td>
                    <td>{b.publisherName}</td>
                    <td>
                      <span className={badgeClass(b.state)}>{b.stateLabel}</span>
                    </td>
                    <td>
                      {b.publicityStart && b.publicityEnd
                        ? `${b.publicityStart} — ${b.publicityEnd}${b.workingDays ? (en ? ` (${b.workingDays} working days)` : `（${b.workingDays}个工作日）`) : ""}`
                        : "—"}
                    </td>
                    <td>
                      {b.listed} / {b.entries}
                    </td>
                    <td>
                      {b.pending} · {b.openComplaints}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card title={en ? "New publicity batch" : "新建公示批次"}>
        {data.candidates.length === 0 ? (
          <p className="meta" data-testid="no-candidates">
            {en
              ? "No decided result waits for publicity: results reach this list once the chair has signed the ballot."
              : "暂无待公示的评审结果。主任委员签署表决结果后，结果将出现在这里。"}
          </p>
        ) : (
          <Form method="post" key={JSON.stringify(values ?? {})} data-testid="new-batch-form">
            <p className="meta">
              {en
                ? `Choose the results (passed ones are published; failed ones are not public, but their applicants may ask for a re-review during the publicity), the first day, and confirm. The publicity is published by the ${publisher}.`
                : `勾选要公示的评审结果（通过人员公开公示；未通过人员不公开，但可在公示期内申请复查），选择公示开始日期后确认。由${publisher}发布。`}
            </p>
            <div className="table-scroll">
              <table className="data" data-testid="batch-candidates">
                <thead>
                  <tr>
                    <th scope="col">{en ? "Select" : "选择"}</th>
                    <th scope="col">{en ? "Name" : "姓名"}</th>
                    <th scope="col">{en ? "Unit" : "工作单位"}</th>
                    <th scope="col">{en ? "Series, level" : "系列、级别"}</th>
                    <th scope="col">{en ? "Specialty" : "专业"}</th>
                    <th scope="col">{en ? "Qualification" : "取得资格"}</th>
                    <th scope="col">{en ? "Result" : "评审结果"}</th>
                    <th scope="col">{en ? "Committee, approved" : "评审委员会、表决日期"}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.candidates.map((c) => (
                    <tr key={c.id} data-result={c.result}>
                      <td>
                        <input
                          type="checkbox"
                          name="applicationIds"
                          value={c.id}
                          aria-label={c.name}
                          defaultChecked={values ? selected.has(c.id) : true}
                        />
                      </td>
                      <td>{c.name}</td>
                      <td>{c.unit}</td>
                      <td>
                        {c.series} · {c.level}
                      </td>
                      <td>{c.specialty}</td>
                      <td>{c.qualification}</td>
                      <td>
                        <span className={c.result === "passed" ? "badge badge--open" : "badge badge--closed"}>
                          {c.resultLabel}
                        </span>
                      </td>
                      <td>
                        {c.committee} · {c.approvedOn}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="filters">
              <div className="field">
                <label htmlFor="batch-title">
                  {en ? "Title (blank: the default)" : "批次标题（留空则自动生成）"}
                </label>
                <input id="batch-title" name="title" maxLength={120} defaultValue={values?.title ?? ""} />
              </div>
              <div className="field">
                <label htmlFor="batch-start">{en ? "First day" : "公示开始日期"}</label>
                <input
                  id="batch-start"
                  name="publicityStart"
                  type="date"
                  required
                  min={data.today}
                  defaultValue={values?.publicityStart || data.today}
                />
              </div>
              <div className="field">
                <label htmlFor="batch-end">
                  {en ? "Last day (blank: 5 working days)" : "公示结束日期（留空则按5个工作日计算）"}
                </label>
                <input
                  id="batch-end"
                  name="publicityEnd"
                  type="date"
                  defaultValue={values ? values.publicityEnd : (data.defaultEnd ?? "")}
                />
              </div>
              <div className="filters__actions">
                <Button variant="secondary" name="intent" value="preview" disabled={busy}>
                  {en ? "Compute the end" : "计算公示结束日期"}
                </Button>
                <Button name="intent" value="create" disabled={busy}>
                  {en ? "Create the batch" : "确认创建公示批次"}
                </Button>
              </div>
            </div>
            {result?.period ? (
              <p data-testid="batch-period">
                {en
                  ? `Publicity ${result.period.start} – ${result.period.end} (until 24:00 Beijing time of the last day).`
                  : `公示期：${result.period.start} 至 ${result.period.end}（最后一日24时止）。`}
              </p>
            ) : null}
            {result?.period?.late ? (
              <Alert tone="warning">
                {en
                  ? `This publicity ends after ${data.schedule?.publicityBy}, the round's last day for result publicity.`
                  : `该公示期在 ${data.schedule?.publicityBy} 之后结束，超出本年度评审结果公示截止日期。`}
              </Alert>
            ) : null}
            {result?.error ? (
              <div data-testid="batch-form-error">
                <Alert tone="error">{result.error}</Alert>
              </div>
            ) : null}
          </Form>
        )}
      </Card>
    </>
  );
}

export function ResultBatchPage() {
  const data = useLoaderData<StaffBatchData>();
  const result = useActionData<StaffBatchAction>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const b = data.batch;
  const flash = (intent: string) =>
    result && (result.intent === intent || result.intent === "") ? (
      result.error ? (
        <div data-testid={`${intent}-error`}>
          <Alert tone="error">{result.error}</Alert>
        </div>
      ) : result.done ? (
        <Alert tone="success">{result.done}</Alert>
      ) : null
    ) : null;
  const listed = data.entries.filter((e) => e.listed).length;
  return (
    <>
      <PageHeading title={b.title}>
        <p>
          {b.publisherName} · {b.levelGroupLabel} · {en ? `Batch ${b.number}` : `第${b.number}批`} ·{" "}
          <span className={badgeClass(b.state)} data-testid="batch-state">
            {b.stateLabel}
          </span>
        </p>
      </PageHeading>
      <p>
        <a href={data.base}>{en ? "← All batches" : "← 返回公示批次列表"}</a>
        {b.state !== "draft" ? (
          <>
            {" · "}
            <a href={data.publicHref}>{en ? "Public page" : "公示页面"}</a>
            {" · "}
            <a href={data.listHref} data-testid="list-pdf-link">
              {en ? "Printable list (PDF)" : "公示名单（PDF）"}
            </a>
          </>
        ) : null}
      </p>

      <Card title={en ? "Publicity" : "公示期"}>
        <p data-testid="batch-dates">
          {b.publicityStart && b.publicityEnd
            ? en
              ? `${b.publicityStart} – ${b.publicityEnd}${b.workingDays ? `, ${b.workingDays} working days` : ""} (complaints until 24:00 of the last day, Beijing time).`
              : `${b.publicityStart} 至 ${b.publicityEnd}${b.workingDays ? `，共${b.workingDays}个工作日` : ""}（投诉受理至最后一日24时，北京时间）。`
            : "—"}
          {b.publishedAt ? (en ? ` Published ${b.publishedAt}.` : ` 发布于 ${b.publishedAt}。`) : ""}
          {b.endedAt ? (en ? ` Ended ${b.endedAt}.` : ` 结束于 ${b.endedAt}。`) : ""}
        </p>
        <Schedule schedule={data.schedule} />
        {data.late ? (
          <Alert tone="warning">
            {en
              ? `The publicity ends after ${data.schedule.publicityBy}, the round's last day for result publicity.`
              : `本批次公示在 ${data.schedule.publicityBy} 之后结束，超出本年度评审结果公示截止日期。`}
          </Alert>
        ) : null}
        {b.state === "draft" ? (
          <Form method="post" className="filters" data-testid="publish-form">
            <input type="hidden" name="intent" value="publish" />
            {data.suggested ? (
              <>
                <p className="meta">
                  {en
                    ? "The chosen first day has passed: choose new dates."
                    : "原定公示开始日期已过，请重新选择公示期。"}
                </p>
                <div className="field">
                  <label htmlFor="pub-start">{en ? "First day" : "公示开始日期"}</label>
                  <input
                    id="pub-start"
                    name="publicityStart"
                    type="date"
                    min={data.today}
                    defaultValue={data.suggested.start}
                  />
                </div>
                <div className="field">
                  <label htmlFor="pub-end">{en ? "Last day" : "公示结束日期"}</label>
                  <input
                    id="pub-end"
                    name="publicityEnd"
                    type="date"
                    defaultValue={data.suggested.end ?? ""}
                  />
                </div>
              </>
            ) : null}
            <div className="filters__actions">
              <Button disabled={busy || data.entries.length === 0}>
                {en ? "Publish the batch" : "发布公示"}
              </Button>
            </div>
          </Form>
        ) : null}
        {flash("publish")}
      </Card>

      <Card title={en ? "Finalisation" : "公示结果确认"}>
        <p data-testid="finalisation-status">
          {en
            ? `Final ${data.counts.final}, pending ${data.counts.pending}, overturned ${data.counts.overturned}, sent back ${data.counts.re_evaluation}; open complaints ${data.counts.openComplaints}.`
            : `已确认 ${data.counts.final} 条，待确认 ${data.counts.pending} 条，经复查撤销 ${data.counts.overturned} 条，退回重新评审 ${data.counts.re_evaluation} 条；待处理投诉 ${data.counts.openComplaints} 件。`}
        </p>
        <p className="meta">
          {b.state === "draft"
            ? en
              ? "Not published yet."
              : "尚未发布。"
            : b.state === "ended"
              ? en
                ? "The publicity has ended; results without an upheld complaint are final."
                : "公示已结束，未被投诉撤销的结果均已确认。"
              : data.publicityOver
                ? en
                  ? "The publicity is over: results without an open complaint become final (every minute, or now)."
                  : "公示期已满：无待处理投诉的结果将自动确认（每分钟一次），也可立即确认。"
                : en
                  ? `Results become final after ${b.publicityEnd} 24:00; a result under an open complaint waits.`
                  : `公示期满（${b.publicityEnd} 24时）后结果自动确认；有待处理投诉的结果须待处理后确认。`}
        </p>
        {b.state === "publicity" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="finalise" />
            <Button variant="secondary" disabled={busy}>
              {en ? "Finalise now" : "立即确认公示结果"}
            </Button>
          </Form>
        ) : null}
        {flash("finalise")}
      </Card>

      <Card
        title={
          en
            ? `Results (${listed} listed, ${data.entries.length - listed} not public)`
            : `评审结果（公示 ${listed} 人，不公开 ${data.entries.length - listed} 人）`
        }
      >
        <div className="table-scroll">
          <table className="data" data-testid="batch-entries">
            <thead>
              <tr>
                <th scope="col">{en ? "No." : "序号"}</th>
                <th scope="col">{en ? "Name" : "姓名"}</th>
                <th scope="col">{en ? "Unit" : "工作单位"}</th>
                <th scope="col">{en ? "Series" : "系列"}</th>
                <th scope="col">{en ? "Qualification" : "取得资格"}</th>
                <th scope="col">{en ? "Result" : "评审结果"}</th>
                <th scope="col">{en ? "Outcome" : "公示结果"}</th>
                <th scope="col">{en ? "Complaints" : "投诉"}</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.id} data-entry={e.id} data-outcome={e.outcome}>
                  <td>{e.listed ? e.position : "—"}</td>
                  <td>{e.name}</td>
                  <td>{e.unit}</td>
                  <td>
                    {e.series} · {e.level}
                    {e.specialty !== "—" ? ` · ${e.specialty}` : ""}
                  </td>
                  <td>{e.qualification}</td>
                  <td>
                    {e.resultLabel}
                    {e.listed ? "" : en ? " (not public)" : "（不公开）"}
                  </td>
                  <td>{e.outcomeLabel}</td>
                  <td>
                    {e.openComplaints
                      ? en
                        ? `${e.openComplaints} open`
                        : `待处理 ${e.openComplaints}`
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <BatchComplaints batchId={b.id} complaints={data.complaints} />
      <CertificateIssuance batchId={b.id} status={data.issuance} />
    </>
  );
}
