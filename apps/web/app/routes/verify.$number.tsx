import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatCertificateNumber, messageFor } from "@titles/domain";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { verifyCertificateNumber } from "~/services/certificates.server";

export const meta: MetaFunction = () => [
  { title: "电子职称证书核验结果 · 北京市职称评审" },
  { name: "robots", content: "noindex" },
];

// The QR token is in the URL: never let it leave in a Referer, never keep it in a shared cache.
export const headers: HeadersFunction = () => ({
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "private, no-store",
});

/**
 * The QR target (`/verify/:number?t=token`), public: valid (with the holder's name, qualification and
 * masked ID — nothing else), revoked, or not ours. The signature is checked on every view.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = localeOf(request);
  const token = new URL(request.url).searchParams.get("t");
  const result = await verifyCertificateNumber(db(), params.number ?? "", token ? token.slice(0, 100) : null);
  switch (result.status) {
    case "invalid-number":
    case "unknown":
      return {
        status: "unknown" as const,
        message: messageFor(result.error, locale),
        number: null,
        token: null,
      };
    case "token-mismatch":
      return {
        status: "token-mismatch" as const,
        message: messageFor(result.error, locale),
        number: formatCertificateNumber(result.number),
        token: null,
      };
    case "bad-signature":
      return {
        status: "bad-signature" as const,
        message: null,
        number: formatCertificateNumber(result.number),
        token: null,
      };
    default:
      return {
        status: result.status,
        message: null,
        number: formatCertificateNumber(result.number),
        raw: result.number,
        revokedOn: result.revokedOn,
        detail: result.detail,
        token: result.detail ? token : null,
      };
  }
}

function Mark({ tone, children }: { tone: "valid" | "invalid"; children: string }) {
  const color = tone === "valid" ? "#1a7f37" : "#b42318";
  return (
    <p data-testid="verify-status" style={{ fontSize: "1.5rem", fontWeight: 700, color, margin: "8px 0" }}>
      <span aria-hidden="true">{tone === "valid" ? "✔ " : "✖ "}</span>
      {children}
    </p>
  );
}

export default function VerifyResult() {
  const data = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  const again = (
    <p>
      <a href="/verify">{en ? "Verify another certificate" : "核验其他证书"}</a>
    </p>
  );
  if (data.status === "unknown" || data.status === "token-mismatch" || data.status === "bad-signature") {
    return (
      <>
        <PageHeading title={en ? "Certificate verification" : "电子职称证书核验"} />
        <Card>
          <Mark tone="invalid">
            {data.status === "bad-signature"
              ? en
                ? "Invalid signature: this certificate cannot be confirmed"
                : "签名无效：无法确认该证书的真实性"
              : data.status === "token-mismatch"
                ? en
                  ? "Verification code does not match"
                  : "核验码不符"
                : en
                  ? "No such certificate"
                  : "查无此证书"}
          </Mark>
          {data.number ? <p>{`${en ? "Number" : "证书编号"}：${data.number}`}</p> : null}
          {data.status === "token-mismatch" ? (
            <p data-testid="verify-message">
              {en
                ? "The number is valid but the verification code does not match; please scan the QR code on the certificate."
                : "编号有效但核验码不符，请扫描证书上的二维码"}
            </p>
          ) : data.message ? (
            <p data-testid="verify-message">{data.message}</p>
          ) : (
            <p data-testid="verify-message">
              {en
                ? "The stored data does not match the issuer's signature. Please contact the city bureau."
                : "证书数据与签发机关的签名不一致，请联系市人力资源和社会保障局。"}
            </p>
          )}
          {again}
        </Card>
      </>
    );
  }
  const valid = data.status === "valid";
  return (
    <>
      <PageHeading title={en ? "Certificate verification" : "电子职称证书核验"} />
      <Card>
        <Mark tone={valid ? "valid" : "invalid"}>
          {valid
            ? en
              ? "Valid"
              : "有效"
            : en
              ? `Revoked on ${data.revokedOn ?? ""}`
              : `已撤销（撤销日期：${data.revokedOn ?? ""}）`}
        </Mark>
        <dl className="dates" data-testid="verify-detail">
          <dt>{en ? "Certificate number" : "证书编号"}</dt>
          <dd>{data.number}</dd>
          {data.detail ? (
            <>
              <dt>{en ? "Holder" : "姓名"}</dt>
              <dd data-testid="verify-holder">{data.detail.holderName}</dd>
              <dt>{en ? "ID number (masked)" : "身份证件号码"}</dt>
              <dd>{data.detail.holderIdMasked}</dd>
              <dt>{en ? "Qualification" : "资格名称"}</dt>
              <dd>{data.detail.qualification}</dd>
              <dt>{en ? "Level" : "级别"}</dt>
              <dd>{data.detail.level}</dd>
              <dt>{en ? "Issuer" : "发证机关"}</dt>
              <dd>{data.detail.issuer}</dd>
              <dt>{en ? "Issue date" : "发证日期"}</dt>
              <dd>{data.detail.issueDate}</dd>
            </>
          ) : null}
        </dl>
        {data.detail ? null : (
          <p className="meta">
            {en
              ? "Scan the QR code on the certificate to see the holder's details."
              : "扫描证书上的二维码可查看持证人信息。"}
          </p>
        )}
        {data.token ? (
          <p className="meta">
            <a
              href={`/credentials/${data.raw}.json?t=${encodeURIComponent(data.token)}`}
              rel="alternate"
              type="application/json"
            >
              {en ? "Verifiable Credential (JSON, for machines)" : "可验证凭证（JSON，供系统核验）"}
            </a>
          </p>
        ) : null}
        {again}
      </Card>
    </>
  );
}
