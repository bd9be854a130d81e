import { type ApplicationWithPeople, type Db, materialRepository, userRepository } from "@titles/db";
import {
  type Level,
  levelLabels,
  type MaterialCategory,
  maskIdNumber,
  materialCategoryLabels,
  type Series,
  seriesLabels,
  type Track,
  trackLabels,
} from "@titles/domain";
import type { ApplicationDocumentData } from "~/documents/application-documents.server";
import { formSections } from "~/lib/application-view.server";

const inBasics = new Set(["gender", "education", "department", "post", "specialty"]);

/** What the printed forms show of an application: always in Chinese, as the official forms are. */
export async function documentDataFor(
  db: Db,
  app: ApplicationWithPeople,
  generatedAt: Date,
): Promise<ApplicationDocumentData> {
  const locale = "zh-CN" as const;
  const [idNumber, materials] = await Promise.all([
    userRepository.findIdNumberById(db, app.applicantId),
    materialRepository.findForApplication(db, app.id, "achievement"),
  ]);
  const sections = formSections(app, locale);
  const value = (name: string) => sections.flatMap((s) => s.rows).find((r) => r.name === name)?.value ?? "";
  return {
    roundYear: app.roundYear,
    applicantName: app.applicantName,
    idNumberMasked: idNumber ? maskIdNumber(idNumber) : "",
    gender: value("gender"),
    employerName: app.employerName ?? "",
    department: value("department"),
    post: value("post"),
    education: value("education"),
    seriesLabel: seriesLabels[app.series as Series]?.[locale] ?? app.series,
    levelLabel: levelLabels[app.level as Level]?.[locale] ?? app.level,
    specialty: value("specialty"),
    trackLabel: trackLabels[app.track as Track]?.[locale] ?? app.track,
    achievementsSummary: value("achievements"),
    // The form's first table already shows these; the sections carry the rest.
    sections: sections
      .map((s) => ({
        title: s.title,
        rows: s.rows.filter((r) => !inBasics.has(r.name)).map((r) => ({ label: r.label, value: r.value })),
      }))
      .filter((s) => s.rows.length > 0),
    materials: materials.map((m) => ({
      category: m.category
        ? (materialCategoryLabels[m.category as MaterialCategory]?.[locale] ?? m.category)
        : "",
      caption: m.caption,
      pages: m.pages ?? undefined,
    })),
    generatedAt,
  };
}
