import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatCertificateNumber } from "@titles/domain";
import { Alert, Card, PageHeading, useI18n } from "@titles/ui";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { listOwnCertificates } from "~/services/certificates.server";

export const meta: MetaFunction = () => [{ title: "专业技术人员资格证书 · 北京市职称评审申报系统" }];

/** The applicant's module 专业技术人员资格证书: their electronic certificates, to download and check. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const certificates = await listOwnCertificates(db(), actor);
  return {
    certificates: certificates.map((c) => ({ ...c, grouped: formatCertificateNumber(c.number) })),
  };
}

export default function Certificates() {
  const { certificates } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Professional qualification certificates" : "专业技术人员资格证书"}
        lead={
          en
            ? "Your electronic title certificates, signed by the city bureau. Anyone can check one by scanning its QR code."
            : "市人力资源和社会保障局签发的电子职称证书。扫描证书上的二维码即可在线核验真伪。"
        }
      />
      <Card title={en ? "My certificates" : "我的证书"}>
        {certificates.length === 0 ? (
          <Alert tone="info">
            {en
              ? "No certificate yet. A certificate is issued after your result's publicity ends without an upheld complaint; you will get an SMS when it is ready."
              : "暂无电子证书。评审结果公示期满且无成立的投诉后，市人社局将签发电子证书，届时会以短信通知您。"}
          </Alert>
        ) : (
          <>
            <div className="table-scroll">
              <table className="data" data-testid="my-certificates">
                <thead>
                  <tr>
                    <th scope="col">{en ? "Certificate number" : "证书编号"}</th>
                    <th scope="col">{en ? "Qualification" : "资格名称"}</th>
                    <th scope="col">{en ? "Level" : "级别"}</th>
                    <th scope="col">{en ? "Issued" : "发证日期"}</th>
                    <th scope="col">{en ? "Status" : "状态"}</th>
                    <th scope="col">{en ? "Download" : "下载"}</th>
                  </tr>
                </thead>
                <tbody>
                  {certificates.map((c) => (
                    <tr key={c.number} data-testid="certificate-row">
                      <td>
                        <span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
                          {c.grouped}
                        </span>
                      </td>
                      <td>{c.qualification}</td>
                      <td>{c.level}</td>
                      <td>{c.issueDate}</td>
                      <td>
                        {c.status === "valid" ? (
                          <span className="badge badge--open">{en ? "Valid" : "有效"}</span>
                        ) : (
                          <span className="badge badge--closed">
                            {en ? `Revoked ${c.revokedOn ?? ""}` : `已撤销（${c.revokedOn ?? ""}）`}
                          </span>
                        )}
                      </td>
                      <td>
                        <a href={`/certificates/${c.number}.pdf`} download>
                          {en ? "Download PDF" : "下载 PDF"}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {/* The verification address carries a token the system keeps only hashed: the PDF is where it lives. */}
            <p className="meta" data-testid="verify-link-hint">
              {en
                ? "To let an employer check a certificate, share its verification page: scan the QR code on the PDF, or click the QR code when viewing the PDF on a computer, and send the address that opens."
                : "如需向用人单位出示证书真伪，可分享其核验页面：用手机扫描 PDF 证书上的二维码，或在电脑上打开 PDF 后点击二维码，将打开的网址发给对方即可。"}
            </p>
          </>
        )}
      </Card>
    </>
  );
}
