import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { applicationRepository } from "@titles/db";
import {
  isLevel,
  isSeries,
  isTrack,
  levelLabels,
  messageFor,
  offeredChoices,
  otherAuthorities,
  seriesLabels,
  trackLabels,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { WindowList } from "~/components/window-list";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { activeRound, windowSummaries } from "~/lib/round.server";
import { startApplication, ZStartInput } from "~/services/applications.server";

export const meta: MetaFunction = () => [{ title: "新建申报 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["applicant"]);
  const locale = localeOf(request);
  const round = await activeRound();
  if (round) {
    const existing = await applicationRepository.findLiveForRound(db(), actor.user.id, round.year);
    if (existing) throw redirect(`/applications/${existing.id}`);
  }
  const instant = now();
  const offered = round ? offeredChoices(round, instant) : [];
  const groups = [...new Set(offered.map((c) => c.series))].map((s) => ({
    label: seriesLabels[s][locale],
    choices: offered
      .filter((c) => c.series === s)
      .map((c) => ({
        value: `${c.series}/${c.level}/${c.track}`,
        label:
          `${seriesLabels[s][locale]} · ${levelLabels[c.level][locale]} · ${trackLabels[c.track][locale]}` +
          (locale === "en"
            ? ` (until ${c.window.closes}, ${c.daysLeft} days left)`
            : `（截至 ${c.window.closes}，剩余 ${c.daysLeft} 天）`),
      })),
  }));
  return {
    year: round?.year ?? null,
    groups,
    windows: windowSummaries(round, instant, locale),
    elsewhere: otherAuthorities.map((o) => o.where[locale]),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["applicant"]);
  const locale = localeOf(request);
  const [series = "", level = "", track = ""] = String((await request.formData()).get("choice") ?? "").split(
    "/",
  );
  const input = ZStartInput.parse({ series, level, track });
  if (!isSeries(input.series) || !isLevel(input.level) || !isTrack(input.track)) {
    return {
      error: locale === "en" ? "Please choose a series, a level and a track." : "请选择系列、级别和通道。",
    };
  }
  const result = await startApplication(
    db(),
    actor,
    { series: input.series, level: input.level, track: input.track },
    now(),
  );
  if (!result.ok) return { error: messageFor(result.error, locale) };
  throw redirect(`/applications/${result.value.id}/form/personal`);
}

export default function NewApplication() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Start an application" : "新建职称申报"}
        lead={
          en
            ? "Choose the series, level and track. Only what the round offers today can be chosen."
            : "请选择申报系列、级别和通道。只能选择本年度当前开放申报的组合。"
        }
      />
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
      <div className="grid">
        <Card title={en ? "Your choice" : "申报选择"}>
          {data.groups.length === 0 ? (
            <Alert tone="warning">{en ? "No window is open now." : "当前没有开放的申报时间。"}</Alert>
          ) : (
            <Form method="post">
              <div className="field">
                <label htmlFor="choice">{en ? "Series, level and track" : "申报系列、级别和通道"}</label>
                <p className="field__hint" id="choice-hint">
                  {en
                    ? "Through-train only for senior engineers and senior researchers in natural and social science."
                    : "“直通车”仅适用于正高级工程师、自然科学研究和哲学社会科学研究系列研究员。"}
                </p>
                <select id="choice" name="choice" required aria-describedby="choice-hint">
                  {data.groups.map((g) => (
                    <optgroup key={g.label} label={g.label}>
                      {g.choices.map((c) => (
                        <option key={c.value} value={c.value}>
                          {c.label}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </div>
              <Button disabled={busy}>{en ? "Start" : "开始填报"}</Button>
            </Form>
          )}
          <h3>{en ? "Handled by other authorities" : "由其他部门受理的系列"}</h3>
          <ul>
            {data.elsewhere.map((where) => (
              <li key={where}>{where}</li>
            ))}
          </ul>
        </Card>
        <Card title={t("home.windows")}>
          <WindowList windows={data.windows} />
        </Card>
      </div>
    </>
  );
}
