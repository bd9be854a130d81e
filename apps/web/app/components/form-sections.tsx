import { Card, useI18n } from "@titles/ui";

export interface FormSection {
  id: string;
  title: string;
  rows: Array<{ name: string; label: string; value: string; problem: string | null }>;
}

/** The filled-in form, read-only, with a link to correct each problem when `editHref` is given. */
export function FormSections({
  sections,
  editHref,
}: {
  sections: FormSection[];
  editHref?: (sectionId: string) => string;
}) {
  const { locale } = useI18n();
  return (
    <>
      {sections.map((section) => (
        <Card key={section.id} title={section.title}>
          <dl className="dates">
            {section.rows.map((row) => (
              <div key={row.name} style={{ display: "contents" }}>
                <dt>{row.label}</dt>
                <dd style={{ whiteSpace: "pre-wrap" }}>
                  {row.value || "—"}
                  {row.problem ? (
                    <span className="field__error" style={{ display: "block" }}>
                      {row.problem}{" "}
                      {editHref ? (
                        <a href={editHref(section.id)}>{locale === "en" ? "Correct" : "去修改"}</a>
                      ) : null}
                    </span>
                  ) : null}
                </dd>
              </div>
            ))}
          </dl>
        </Card>
      ))}
    </>
  );
}
