import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  type ApplicationState,
  applicationStateLabels,
  daysLeft,
  type Level,
  levelLabels,
  messageFor,
  type Series,
  seriesLabels,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { z } from "zod";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { activeRound } from "~/lib/round.server";
import { type DistrictStage, districtWorkspaces, forwardRecommended } from "~/services/district.server";

export const meta: MetaFunction = () => [{ title: "区人社局工作台 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["district"]);
  const locale = localeOf(request);
  const instant = now();
  const workspaces = await districtWorkspaces(db(), actor, instant);
  const round = await activeRound();
  const label = (f: { series: string; level: string }) =>
    `${seriesLabels[f.series as Series]?.[locale] ?? f.series} · ${levelLabels[f.level as Level]?.[locale] ?? f.level}`;
  return {
    deadlines: (round?.windows ?? [])
      .filter((w) => w.districtDeadline)
      .map((w) => ({
        deadline: w.districtDeadline!,
        daysLeft: daysLeft(instant, { opens: w.opens, closes: w.districtDeadline! }),
      })),
    bureaus: workspaces.map((w) => ({
      id: w.organisationId,
      name: w.name,
      files: w.files.map((f) => ({
        id: f.applicationId,
        stage: f.stage,
        applicantName: f.applicantName,
        employerName: f.employerName ?? "—",
        title: label(f),
        state: applicationStateLabels[f.state as ApplicationState]?.[locale] ?? f.state,
        confirmedAt: f.confirmedAt?.toISOString() ?? null,
        receivedAt: f.review?.receivedAt.toISOString() ?? null,
        decision: f.review?.decision ?? null,
        reason: f.review?.reason ?? null,
        deadline: f.deadline,
        daysLeft: f.daysLeft,
        forwardedAt: f.forwardedAt?.toISOString() ?? null,
      })),
      toForward: w.toForward.map((f) => ({
        id: f.applicationId,
        name: f.applicantName,
        unit: f.employerName,
      })),
      forwards: w.forwards.map((f) => ({
        id: f.id,
        at: f.forwardedAt.toISOString(),
        entries: f.entries.map((e) => ({
          id: e.applicationId,
          name: e.applicantName,
          unit: e.employerName ?? "—",
          title: label(e),
        })),
      })),
    })),
  };
}

const ZForward = z.object({ intent: z.literal("forward"), bureau: z.string().uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["district"]);
  const locale = localeOf(request);
  const en = locale === "en";
  const parsed = ZForward.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: en ? "Invalid request." : "请求无效。", forwarded: null };
  const result = await forwardRecommended(db(), actor, parsed.data.bureau, now());
  if (!result.ok) return { error: messageFor(result.error, locale), forwarded: null };
  return { error: null, forwarded: result.value.applicants.map((a) => a.applicantName) };
}

const stages: DistrictStage[] = ["intake", "review", "decided", "forwarded", "ended"];

const stageTitles: Record<DistrictStage, { "zh-CN": string; en: string }> = {
  intake: { "zh-CN": "待接收", en: "Waiting for intake" },
  review: { "zh-CN": "审核中（现场核查、推委会）", en: "Under review (on-site check, committee)" },
  decided: { "zh-CN": "推委会已决定", en: "Decided by the committee" },
  forwarded: { "zh-CN": "已报送评审机构", en: "Forwarded to the agency" },
  ended: { "zh-CN": "已结束（撤回或逾期）", en: "Ended (withdrawn or lapsed)" },
};

function time(iso: string, locale: string) {
  return new Date(iso).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false });
}

export default function DistrictWorkspace() {
  const { bureaus, deadlines } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={t("role.district")}
        lead={
          en
            ? "Through-train files of the units in your district: receive them, check on site, record the recommendation committee's decision and forward the recommended applicants to the evaluation agency."
            : "本区单位的“直通车”申报：接收材料、现场核查、登记推委会推荐意见，并将推荐名单报送评审机构。"
        }
      />
      {deadlines.map((d) => (
        <p key={d.deadline} data-testid="district-deadline">
          {t("home.district", { date: d.deadline })}
          {" · "}
          {d.daysLeft > 0
            ? t("home.daysLeft", { days: d.daysLeft })
            : en
              ? "Deadline passed"
              : "已过报送期限"}
        </p>
      ))}
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
      {result?.forwarded ? (
        <Alert tone="success">
          {result.forwarded.length === 0
            ? en
              ? "Nobody is waiting to be forwarded: nothing was sent."
              : "没有待报送的推荐人选，未重复报送。"
            : en
              ? `Forwarded to the agency: ${result.forwarded.join(", ")}.`
              : `已报送评审机构：${result.forwarded.join("、")}。`}
        </Alert>
      ) : null}
      {bureaus.map((bureau) => (
        <div key={bureau.id}>
          {stages.map((stage) => {
            const files = bureau.files.filter((f) => f.stage === stage);
            if (stage === "ended" && files.length === 0) return null;
            return (
              <Card key={stage} title={`${bureau.name} · ${stageTitles[stage][locale]}（${files.length}）`}>
                {files.length === 0 ? (
                  <p className="meta">{en ? "None." : "暂无。"}</p>
                ) : (
                  <div className="table-scroll">
                    <table className="data" data-testid={`district-${stage}`}>
                      <thead>
                        <tr>
                          <th scope="col">{en ? "Applicant" : "申报人"}</th>
                          <th scope="col">{en ? "Unit" : "工作单位"}</th>
                          <th scope="col">{en ? "Series and level" : "系列与级别"}</th>
                          <th scope="col">{en ? "State" : "状态"}</th>
                          <th scope="col">{en ? "District deadline" : "报送区人社局截止"}</th>
                          <th scope="col">
                            {stage === "intake"
                              ? en
                                ? "Confirmed"
                                : "确认申报时间"
                              : en
                                ? "Received"
                                : "接收时间"}
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {files.map((f) => (
                          <tr key={f.id}>
                            <td>
                              <a href={`/district/applications/${f.id}`}>{f.applicantName}</a>
                            </td>
                            <td>{f.employerName}</td>
                            <td>{f.title}</td>
                            <td>
                              {f.state}
                              {f.decision === "not-recommended" && f.reason ? (
                                <span className="meta" style={{ display: "block" }}>
                                  {en ? "Not recommended: " : "不予推荐："}
                                  {f.reason}
                                </span>
                              ) : null}
                            </td>
                            <td>
                              {f.deadline ?? "—"}
                              {stage === "intake" && f.daysLeft !== null ? (
                                <span className="meta" style={{ display: "block" }}>
                                  {f.daysLeft > 0
                                    ? t("home.daysLeft", { days: f.daysLeft })
                                    : en
                                      ? "Deadline passed"
                                      : "已过报送期限"}
                                </span>
                              ) : null}
                            </td>
                            <td>
                              {stage === "intake"
                                ? f.confirmedAt
                                  ? time(f.confirmedAt, locale)
                                  : "—"
                                : f.receivedAt
                                  ? time(f.receivedAt, locale)
                                  : "—"}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </Card>
            );
          })}

          <Card title={`${bureau.name} · ${en ? "Forward to the agency" : "报送评审机构"}`}>
            {bureau.toForward.length === 0 ? (
              <p>
                {en
                  ? "No recommended applicant is waiting to be forwarded."
                  : "暂无待报送的推荐人选。推委会推荐后，可在此将推荐名单报送评审机构。"}
              </p>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="forward" />
                <input type="hidden" name="bureau" value={bureau.id} />
                <p>
                  {en
                    ? "These recommended applicants will go to the evaluation agency on one list:"
                    : "以下推荐人选将作为一份推荐名单报送评审机构："}
                </p>
                <ul data-testid="district-to-forward">
                  {bureau.toForward.map((f) => (
                    <li key={f.id}>
                      {f.name}
                      {f.unit ? ` · ${f.unit}` : ""}
                    </li>
                  ))}
                </ul>
                <Button disabled={busy}>
                  {en
                    ? `Forward to the agency (${bureau.toForward.length})`
                    : `报送评审机构（${bureau.toForward.length} 人）`}
                </Button>
              </Form>
            )}
            <h3>{en ? "Lists forwarded" : "已报送的推荐名单"}</h3>
            {bureau.forwards.length === 0 ? (
              <p className="meta">{en ? "No list forwarded yet." : "尚未报送推荐名单。"}</p>
            ) : (
              <ol data-testid="forwarded-lists">
                {bureau.forwards.map((f) => (
                  <li key={f.id}>
                    <p>
                      {time(f.at, locale)} ·{" "}
                      {en ? `${f.entries.length} applicant(s)` : `${f.entries.length} 人`}
                    </p>
                    <ul>
                      {f.entries.map((e) => (
                        <li key={e.id}>
                          {e.name} · {e.unit} · {e.title}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
      ))}
    </>
  );
}
