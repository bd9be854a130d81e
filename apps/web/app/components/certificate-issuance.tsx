import { useFetcher, useRevalidator } from "@remix-run/react";
import { Alert, Button, Card, useI18n } from "@titles/ui";
import { useEffect, useState } from "react";
import type { IssuanceStatus } from "~/services/certificates.server";

export type { IssuanceStatus };

const stateLabels = {
  queued: { "zh-CN": "排队中", en: "Queued" },
  running: { "zh-CN": "正在签发", en: "Issuing" },
  done: { "zh-CN": "已完成", en: "Done" },
  failed: { "zh-CN": "部分未完成", en: "Stopped with errors" },
} as const;

type StartAnswer = { ok: true; status: IssuanceStatus } | { ok: false; error: string };

const active = (s: IssuanceStatus | null) => s?.state === "queued" || s?.state === "running";

/**
 * The certificate issuance panel of a result batch (staff batch page): progress of the latest bulk
 * issuance, polled every second while it runs, and the bureau's start / resume button when final results
 * still wait for their certificates. Renders nothing when there is nothing to issue yet.
 */
export function CertificateIssuance({ batchId, status }: { batchId: string; status: IssuanceStatus | null }) {
  const { locale } = useI18n();
  const en = locale === "en";
  const start = useFetcher<StartAnswer>();
  const revalidator = useRevalidator();
  const [live, setLive] = useState<IssuanceStatus | null>(status);

  useEffect(() => setLive(status), [status]);
  useEffect(() => {
    if (start.data?.ok) setLive(start.data.status);
  }, [start.data]);

  const runningId = active(live) ? live?.id : null;
  useEffect(() => {
    if (!runningId) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/issuances/${runningId}`, {
          headers: { Accept: "application/json" },
        });
        if (!response.ok || stopped) return;
        const next = (await response.json()) as IssuanceStatus;
        setLive(next);
        // The rest of the page (entries, application states) changes when a run ends.
        if (!active(next)) revalidator.revalidate();
      } catch {
        // A missed poll is retried a second later.
      }
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [runningId, revalidator]);

  if (!live) return null;
  const total = Math.max(live.total, live.issued);
  const label = en ? "Certificate issuance progress" : "证书签发进度";
  return (
    <Card title={en ? "Electronic certificates" : "电子职称证书签发"}>
      <section data-testid="certificate-issuance" aria-label={label}>
        {live.state ? (
          <>
            <p>
              {en ? "State: " : "状态："}
              <strong data-testid="issuance-state">{stateLabels[live.state][locale]}</strong>
            </p>
            <label htmlFor={`issuance-${batchId}`} style={{ display: "block" }}>
              {label}
            </label>
            <progress
              id={`issuance-${batchId}`}
              style={{ display: "block", width: "100%", height: 16 }}
              max={total || 1}
              value={live.issued}
              aria-valuetext={en ? `${live.issued} of ${total} issued` : `已签发 ${live.issued} / ${total}`}
            />
            <p data-testid="issuance-count" aria-live="polite">
              {en ? `Issued ${live.issued} / ${total}` : `已签发 ${live.issued} / ${total}`}
            </p>
            {live.error ? <Alert tone="warning">{live.error}</Alert> : null}
          </>
        ) : (
          <p>{en ? "No certificates issued for this batch yet." : "本批次尚未签发电子证书。"}</p>
        )}
        <p className="meta">
          {en
            ? `Certificates of this batch: ${live.certified}; final results waiting: ${live.pending}.`
            : `本批次已发证 ${live.certified} 份，待签发 ${live.pending} 人。`}
        </p>
        {start.data && !start.data.ok ? <Alert tone="error">{start.data.error}</Alert> : null}
        {live.canStart ? (
          <start.Form method="post" action={`/bureau/issuances/${batchId}`}>
            <Button disabled={start.state !== "idle"} data-testid="issuance-start">
              {live.state === "failed" || live.state === "done"
                ? en
                  ? `Issue the remaining ${live.pending}`
                  : `继续签发其余 ${live.pending} 份`
                : en
                  ? `Issue ${live.pending} certificates`
                  : `签发电子证书（${live.pending} 份）`}
            </Button>
          </start.Form>
        ) : null}
      </section>
    </Card>
  );
}
