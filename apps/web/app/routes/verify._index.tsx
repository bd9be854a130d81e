import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { isValidCertificateNumber, messageFor, normaliseCertificateNumber } from "@titles/domain";
import { Alert, Button, Card, PageHeading, TextField, useI18n } from "@titles/ui";
import { localeOf } from "~/lib/i18n.server";

export const meta: MetaFunction = () => [{ title: "电子职称证书核验 · 北京市职称评审" }];

/** Public: enter a certificate number (as printed, spaces allowed) and go to its verification page. */
export function loader({ request }: LoaderFunctionArgs) {
  const input = (new URL(request.url).searchParams.get("number") ?? "").slice(0, 60);
  if (!input.trim()) return { input: "", error: null };
  const number = normaliseCertificateNumber(input);
  if (isValidCertificateNumber(number)) throw redirect(`/verify/${number}`);
  return { input, error: messageFor("CERTIFICATE_NUMBER_INVALID", localeOf(request), { number: input }) };
}

export default function VerifyForm() {
  const { input, error } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Verify an electronic title certificate" : "电子职称证书核验"}
        lead={
          en
            ? "Scan the QR code on the certificate to see the holder's details, or enter the certificate number to check whether it is valid."
            : "扫描证书上的二维码可查看持证人信息；也可输入证书编号，查询证书是否有效。"
        }
      />
      <Card>
        <Form method="get" data-testid="verify-form">
          <TextField
            label={en ? "Certificate number" : "证书编号"}
            name="number"
            defaultValue={input}
            hint={en ? "14 characters, e.g. 11 2021 0000001 X" : "共14位，例如 11 2021 0000001 X"}
            error={error}
            required
            autoComplete="off"
            inputMode="text"
          />
          <Button>{en ? "Verify" : "核验"}</Button>
        </Form>
        {error ? null : (
          <Alert tone="info">
            {en
              ? "Certificates are issued by the Beijing Municipal Human Resources and Social Security Bureau."
              : "本系统核验北京市人力资源和社会保障局签发的电子职称证书。"}
          </Alert>
        )}
      </Card>
    </>
  );
}
