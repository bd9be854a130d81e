import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { type IdType, idTypes, maskPhone, messageFor, normalizePhone } from "@titles/domain";
import { Alert, Button, PageHeading, SelectField, TextField, useI18n } from "@titles/ui";
import { getSession, sessionCookie } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { clientAddress } from "~/lib/request.server";
import { limitKey, markRetryAfter, spendOrRefuse } from "~/security/limits.server";
import {
  completeRegistration,
  type RegistrationErrors,
  sendRegistrationCode,
  ZRegisterInput,
} from "~/services/registration.server";

export const meta: MetaFunction = () => [{ title: "实名注册 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  if (session.state === "active") throw redirect("/dashboard");
  return null;
}

type Values = { name: string; idType: IdType; idNumber: string; phone: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const locale = localeOf(request);
  const form = Object.fromEntries(await request.formData());
  const input = ZRegisterInput.parse(form);
  const values: Values = {
    name: input.name,
    idType: input.idType,
    idNumber: input.idNumber,
    phone: input.phone,
  };
  // A refused resend or a spent code answers 429 with Retry-After (0 for a spent code: ask for a new one).
  const throttled = (errors: RegistrationErrors) => {
    const code = errors.code;
    if (!code) return false;
    if (code.code === "SMS_CODE_TOO_MANY_ATTEMPTS") {
      context.setResponseHeader?.("Retry-After", "0");
      return true;
    }
    return markRetryAfter(context, code) !== null;
  };
  const describe = (errors: RegistrationErrors) =>
    Object.fromEntries(Object.entries(errors).map(([field, error]) => [field, messageFor(error, locale)]));
  const now = new Date();
  // Asking for a code and trying one each spend a budget per address and per phone (decision 0015).
  const kind = form.intent === "register" ? ("smsVerify" as const) : ("sms" as const);
  const limited = await spendOrRefuse(context, kind, {
    ip: clientAddress(context),
    key: limitKey(kind, normalizePhone(input.phone)),
  });
  if (limited) {
    const step = kind === "smsVerify" ? ("code" as const) : ("details" as const);
    const body = { step, values, errors: describe({ code: limited }), phone: maskPhone(input.phone) };
    return data(body, { status: 429 });
  }
  if (form.intent === "register") {
    const result = await completeRegistration(db(), input, {
      now,
      userAgent: request.headers.get("User-Agent"),
    });
    if (!result.ok) {
      const body = {
        step: "code" as const,
        values,
        errors: describe(result.errors),
        phone: maskPhone(input.phone),
      };
      return data(body, { status: throttled(result.errors) ? 429 : 200 });
    }
    throw redirect("/dashboard?welcome=1", {
      headers: { "Set-Cookie": sessionCookie(result.value.cookieValue) },
    });
  }
  const sent = await sendRegistrationCode(db(), input, now);
  if (!sent.ok) {
    // A resend refused as too soon keeps the applicant on the code step.
    const step =
      sent.errors.code && Object.keys(sent.errors).length === 1 ? ("code" as const) : ("details" as const);
    const body = { step, values, errors: describe(sent.errors), phone: maskPhone(input.phone) };
    return data(body, { status: throttled(sent.errors) ? 429 : 200 });
  }
  return data({
    step: "code" as const,
    values,
    errors: {} as Record<string, string>,
    phone: maskPhone(sent.value.phone),
    sent: true,
  });
}

export default function Register() {
  const { t } = useI18n();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values = result?.values;
  const onCodeStep = result?.step === "code";
  const errorList = Object.entries(errors).filter(([, m]) => m);
  return (
    <div className="narrow">
      <PageHeading title={t("register.title")} lead={t("register.intro")} />
      {errorList.length > 0 ? (
        <Alert tone="error" title={t("form.errors")}>
          <ul>
            {errorList.map(([field, message]) => (
              <li key={field}>{message}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {result && "sent" in result && result.sent ? (
        <Alert tone="success">{t("register.codeSent")}</Alert>
      ) : null}
      <Form method="post" noValidate className="card">
        <TextField
          name="name"
          label={t("form.name")}
          hint={t("form.name.hint")}
          required
          autoComplete="name"
          defaultValue={values?.name}
          error={errors.name}
        />
        <SelectField
          name="idType"
          label={t("form.idType")}
          required
          defaultValue={values?.idType ?? "mainland"}
          options={idTypes.map((type) => ({ value: type, label: t(`idType.${type}`) }))}
        />
        <TextField
          name="idNumber"
          label={t("form.idNumber")}
          required
          autoComplete="off"
          defaultValue={values?.idNumber}
          error={errors.idNumber}
          maxLength={40}
        />
        <TextField
          name="phone"
          type="tel"
          inputMode="tel"
          label={t("form.phone")}
          required
          autoComplete="tel"
          defaultValue={values?.phone}
          error={errors.phone}
          maxLength={20}
        />
        <TextField
          name="password"
          type="password"
          label={t("form.password")}
          hint={t("form.password.hint")}
          required
          autoComplete="new-password"
          error={errors.password}
        />
        <TextField
          name="passwordConfirm"
          type="password"
          label={t("form.passwordConfirm")}
          required
          autoComplete="new-password"
          error={errors.passwordConfirm}
        />
        {onCodeStep ? (
          <TextField
            name="code"
            label={t("form.smsCode")}
            hint={t("form.smsCode.hint", { phone: result.phone })}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            required
            error={errors.code}
          />
        ) : null}
        <div className="button-row">
          {onCodeStep ? (
            <>
              <Button name="intent" value="register" disabled={busy}>
                {t("form.submitRegister")}
              </Button>
              <Button name="intent" value="send-code" variant="secondary" disabled={busy}>
                {t("form.resendCode")}
              </Button>
            </>
          ) : (
            <Button name="intent" value="send-code" disabled={busy}>
              {t("form.sendCode")}
            </Button>
          )}
        </div>
      </Form>
      <p>
        <a href="/login">{t("home.cta.login")}</a>
      </p>
    </div>
  );
}
