import type { FormField } from "@titles/domain";
import { useI18n } from "@titles/ui";

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
  const { locale, t } = useI18n();
  const id = `field-${field.name}`;
  const describedBy =
    [field.hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: field.name,
    defaultValue: value ?? "",
    required: field.required,
    disabled,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
  };
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {field.label[locale]}
        {field.required ? <span className="field__required"> （{t("form.required")}）</span> : null}
      </label>
      {field.hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {field.hint[locale]}
        </p>
      ) : null}
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
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
