import type { FormField } from "@titles/domain";
import { FieldFrame, fieldDescribedBy, useI18n } from "@titles/ui";

/** One field of the application form, from its definition in the domain. */
export function FormFieldInput({
  field,
  value,
  error,
  disabled,
}: {
  field: FormField;
  value: string | undefined;
  error?: string;
  disabled?: boolean;
}) {
  const { locale } = useI18n();
  const id = `field-${field.name}`;
  const hint = field.hint?.[locale];
  const common = {
    id,
    name: field.name,
    defaultValue: value ?? "",
    required: field.required,
    disabled,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": fieldDescribedBy(id, hint, error),
  };
  return (
    <FieldFrame
      id={id}
      name={field.name}
      label={field.label[locale]}
      hint={hint}
      error={error}
      required={field.required}
    >
      {field.type === "textarea" ? (
        <textarea {...common} rows={6} maxLength={field.maxLength} />
      ) : field.type === "select" ? (
        <select {...common}>
          <option value="">{locale === "en" ? "— choose —" : "— 请选择 —"}</option>
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label[locale]}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={field.type === "number" ? "number" : field.type === "date" ? "date" : "text"}
          inputMode={field.type === "number" ? "numeric" : undefined}
          min={field.min}
          max={field.max}
          maxLength={field.maxLength}
        />
      )}
    </FieldFrame>
  );
}
