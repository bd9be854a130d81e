import { createContext, type ReactNode, useContext, useId } from "react";
import { type Locale, type MessageKey, type Translate, translator } from "./i18n";

const I18nContext = createContext<{ locale: Locale; t: Translate }>({
  locale: "zh-CN",
  t: translator("zh-CN"),
});

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <I18nContext.Provider value={{ locale, t: translator(locale) }}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  return useContext(I18nContext);
}

export interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

/** The page frame shared by the portal and the panel: skip link, header, language toggle, footer. */
export function Layout(props: {
  title: string;
  homeHref: string;
  nav: NavItem[];
  userName?: string | null;
  languageToggle: ReactNode;
  userMenu?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <a className="site-title" href={props.homeHref}>
            <span aria-hidden="true" className="site-title__mark">
              职
            </span>
            {props.title}
          </a>
          <nav aria-label={t("nav.home")} className="site-nav">
            <ul>
              {props.nav.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={item.current ? "page" : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="site-tools">
            {props.languageToggle}
            {props.userMenu}
          </div>
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        {props.children}
      </main>
      <footer className="site-footer">{t("footer.text")}</footer>
    </>
  );
}

export function PageHeading({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-heading">
      <h1>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </div>
  );
}

export function Alert({
  tone = "info",
  title,
  children,
}: {
  tone?: "info" | "success" | "error" | "warning";
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`alert alert--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title ? <p className="alert__title">{title}</p> : null}
      {children}
    </div>
  );
}

export interface FieldProps {
  label: string;
  name: string;
  error?: string | null;
  hint?: string;
  required?: boolean;
}

/** Label, hint and error around any control; the control gets `id` and `fieldDescribedBy(...)`. */
export function FieldFrame({
  label,
  error,
  hint,
  required,
  id,
  children,
}: FieldProps & { id: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="field__required"> （{t("form.required")}）</span> : null}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function fieldDescribedBy(id: string, hint?: string, error?: string | null) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function TextField(
  props: FieldProps & {
    type?: "text" | "password" | "tel" | "number" | "email" | "date";
    defaultValue?: string;
    autoComplete?: string;
    inputMode?: "numeric" | "text" | "tel";
    maxLength?: number;
  },
) {
  const id = useId();
  return (
    <FieldFrame {...props} id={id}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={fieldDescribedBy(id, props.hint, props.error)}
      />
    </FieldFrame>
  );
}

export function SelectField(
  props: FieldProps & { options: Array<{ value: string; label: string }>; defaultValue?: string },
) {
  const id = useId();
  return (
    <FieldFrame {...props} id={id}>
      <select
        id={id}
        name={props.name}
        defaultValue={props.defaultValue}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={fieldDescribedBy(id, props.hint, props.error)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function Button({
  children,
  variant = "primary",
  ...rest
}: {
  children: ReactNode;
  variant?: "primary" | "secondary" | "danger";
} & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button type="submit" className={`button button--${variant}`} {...rest}>
      {children}
    </button>
  );
}

/** Where the applicant is in the process and what comes next. */
export function ProcessSteps({
  steps,
  current,
}: {
  steps: Array<{ key: MessageKey; date?: string }>;
  current: number;
}) {
  const { t } = useI18n();
  return (
    <ol className="steps">
      {steps.map((step, index) => {
        const state = index < current ? "done" : index === current ? "current" : "todo";
        return (
          <li
            key={step.key}
            className={`steps__item steps__item--${state}`}
            aria-current={state === "current" ? "step" : undefined}
          >
            <span className="steps__number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="steps__label">{t(step.key)}</span>
            {step.date ? <span className="steps__date">{step.date}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

export function Card({
  title,
  children,
  className,
}: {
  title?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`card${className ? ` ${className}` : ""}`}>
      {title ? <h2 className="card__title">{title}</h2> : null}
      {children}
    </section>
  );
}
