import { complaintKindLabels, complaintStateLabels } from "@titles/domain";
import { Card, useI18n } from "@titles/ui";
import type { BatchComplaintItem } from "~/services/complaints.server";

/**
 * The complaints (投诉) and re-review requests (复查) on one result batch, for the staff batch page. Open
 * ones come first: a result under an open complaint is neither finalised nor certified.
 */
export function BatchComplaints({
  batchId,
  complaints,
}: {
  batchId: string;
  complaints: BatchComplaintItem[];
}) {
  const { locale } = useI18n();
  const en = locale === "en";
  const open = complaints.filter((c) => c.state === "open").length;
  return (
    <Card
      title={en ? `Complaints and re-reviews (${complaints.length})` : `投诉与复查（${complaints.length}）`}
    >
      <p className="meta" data-testid="batch-complaints-summary" data-batch={batchId}>
        {complaints.length === 0
          ? en
            ? "No complaint or re-review request so far."
            : "暂无投诉或复查申请。"
          : en
            ? `${open} open; a result under an open complaint waits and is not certified.`
            : `待处理 ${open} 件；有未处理投诉的结果暂不确认，也不发证。`}
      </p>
      {complaints.length ? (
        <div className="table-scroll">
          <table className="data" data-testid="batch-complaints">
            <thead>
              <tr>
                <th scope="col">{en ? "Reference" : "编号"}</th>
                <th scope="col">{en ? "Kind" : "类型"}</th>
                <th scope="col">{en ? "About" : "被投诉人 / 申请人"}</th>
                <th scope="col">{en ? "Filed by" : "提出人"}</th>
                <th scope="col">{en ? "Filed" : "提出时间"}</th>
                <th scope="col">{en ? "State" : "状态"}</th>
                <th scope="col">{en ? "Action" : "操作"}</th>
              </tr>
            </thead>
            <tbody>
              {complaints.map((c) => (
                <tr key={c.id} data-reference={c.reference}>
                  <td>
                    <code>{c.reference}</code>
                  </td>
                  <td>{complaintKindLabels[c.kind]?.[locale] ?? c.kind}</td>
                  <td>{c.applicantName}</td>
                  <td>{c.complainantName}</td>
                  <td>{c.filedAt}</td>
                  <td>
                    <span className={`badge ${c.state === "open" ? "badge--open" : "badge--closed"}`}>
                      {complaintStateLabels[c.state]?.[locale] ?? c.state}
                    </span>
                  </td>
                  <td>
                    <a href={c.href}>
                      {c.state === "open" ? (en ? "Decide" : "处理") : en ? "View" : "查看"}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
