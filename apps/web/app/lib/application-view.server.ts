import type { ApplicationWithPeople } from "@titles/db";
import {
  type ApplicationState,
  applicationStateLabels,
  formStepsFor,
  type Level,
  levelLabels,
  type Series,
  seriesLabels,
  type Track,
  trackLabels,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import type { ApplicationSummary } from "~/components/application-header";

/** The labels a page shows about an application, in the reader's language. */
export function summarise(app: ApplicationWithPeople, locale: Locale): ApplicationSummary {
  return {
    id: app.id,
    seriesLabel: seriesLabels[app.series as Series]?.[locale] ?? app.series,
    levelLabel: levelLabels[app.level as Level]?.[locale] ?? app.level,
    trackLabel: trackLabels[app.track as Track]?.[locale] ?? app.track,
    stateLabel: applicationStateLabels[app.state as ApplicationState]?.[locale] ?? app.state,
    applicantName: app.applicantName,
    employerName: app.employerName,
  };
}

/** The form as labelled sections, with each field's problem when `problems` is given. */
export function formSections(
  app: ApplicationWithPeople,
  locale: Locale,
  problems: Record<string, string> = {},
) {
  return formStepsFor(app.series as Series, app.level as Level).map((step) => ({
    id: step.id,
    title: step.title[locale],
    rows: step.fields.map((f) => {
      const raw = app.form[f.name] ?? "";
      const option = f.options?.find((o) => o.value === raw);
      return {
        name: f.name,
        label: f.label[locale],
        value: option ? option.label[locale] : raw,
        problem: problems[f.name] ?? null,
      };
    }),
  }));
}
