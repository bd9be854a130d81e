import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createDb, materialRepository, sha256, verifyAuditChain } from "@titles/db";
import canonicalize from "canonicalize";
import pg from "pg";

/** What was checked (counts) and every inconsistency found (empty when the data is whole). */
export interface Consistency {
  checked: Record<string, number>;
  problems: string[];
}

/** Raw SQL on a short-lived connection. */
export async function sql<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * The database after a fault, as the domain requires it to be (audit records and SMS for
 * `applications`, the ones the test drove through the portal; the rest for every row):
 * - every application's state is where its event history leads (each event starts where the previous
 *   ended; the last one ends in the current state), and every event of `applications` has its audit
 *   record (one per event);
 * - a confirmed application has its confirmation time and a receipt hash that is the manifest of the
 *   form and the materials it holds now (nothing added, lost or half-written after the receipt);
 * - every material points at a stored file row, and (with `filesDir`) the bytes on disk hash to it;
 * - the audit chain verifies from the first record to the last;
 * - each confirmation told the applicant once (one `confirmed` SMS per confirm event).
 */
export async function checkConsistency(
  url: string,
  options: {
    filesDir?: string;
    applications?: readonly string[];
    /** Only these events are matched with audit records (the seed wrote the earlier ones unaudited). */
    events?: readonly string[];
  } = {},
): Promise<Consistency> {
  const problems: string[] = [];
  const note = (text: string) => {
    if (problems.length < 40) problems.push(text);
    else if (problems.length === 40) problems.push("… (further problems not listed)");
  };
  const checked: Record<string, number> = {};
  // The demo seed writes histories, receipts and messages its own way (no audit records, no SMS):
  // those checks cover the applications the fault test drove through the portal.
  const scope = [...(options.applications ?? [])];

  const chains = await sql<{ id: string; state: string; events: Array<{ from: string; to: string }> }>(
    url,
    `select a.id, a.state,
            json_agg(json_build_object('from', e.from_state, 'to', e.to_state) order by e.id) as events
       from applications a join application_events e on e.application_id = a.id
      group by a.id, a.state`,
  );
  for (const app of chains) {
    for (let i = 1; i < app.events.length; i += 1) {
      if (app.events[i]!.from !== app.events[i - 1]!.to)
        note(
          `application ${app.id}: event ${i + 1} starts at ${app.events[i]!.from}, the previous ended at ${app.events[i - 1]!.to}`,
        );
    }
    if (app.events.at(-1)!.to !== app.state)
      note(`application ${app.id}: state ${app.state}, its last event ends at ${app.events.at(-1)!.to}`);
  }
  checked["applications whose state follows their events"] = chains.length;

  const unaudited = await sql<{ application_id: string; event: string; events: number; audits: number }>(
    url,
    `select e.application_id, e.event, count(*)::int as events,
            (select count(*)::int from audit_log l
              where l.object_type = 'application' and l.object_id = e.application_id::text
                and l.action = 'application.' || e.event) as audits
       from application_events e where e.application_id = any($1::uuid[])
        and ($2::text[] is null or e.event = any($2::text[]))
      group by e.application_id, e.event`,
    [scope, options.events ?? null],
  );
  for (const row of unaudited)
    if (row.audits !== row.events)
      note(
        `application ${row.application_id}: ${row.events} ${row.event} events, ${row.audits} audit records`,
      );
  checked["event kinds matched with audit records"] = unaudited.length;

  const handle = createDb({ url, max: 1 });
  try {
    const confirmed = await sql<{
      id: string;
      form: Record<string, string>;
      receipt_hash: string | null;
      confirmed_at: Date | null;
    }>(url, `select id, form, receipt_hash, confirmed_at from applications where state = 'confirmed'`);
    for (const app of confirmed) {
      if (!app.receipt_hash || !app.confirmed_at) {
        note(`application ${app.id}: confirmed without ${app.receipt_hash ? "a time" : "a receipt"}`);
        continue;
      }
      const materials = await materialRepository.findForApplication(handle.db, app.id);
      const entries = [
        { label: "form", sha256: sha256(canonicalize(app.form) ?? "{}") },
        ...materials.map((m) => ({ label: `${m.kind}#${m.position}`, sha256: m.fileSha256 })),
      ];
      const hash = sha256(canonicalize({ applicationId: app.id, entries }) ?? "");
      if (hash !== app.receipt_hash) note(`application ${app.id}: its receipt does not match what it holds`);
    }
    checked["confirmed applications with a matching receipt"] = confirmed.length;

    const audit = await verifyAuditChain(handle.db);
    if (!audit.ok) note(`audit chain broken at ${audit.brokenAt}: ${audit.reason}`);
    checked["audit records verified"] = audit.count;
  } finally {
    await handle.close();
  }

  const sms = await sql<{ application_id: string; confirms: number; sms: number }>(
    url,
    `select e.application_id, count(*)::int as confirms,
            (select count(*)::int from notifications n
              where n.application_id = e.application_id and n.template = 'confirmed') as sms
       from application_events e where e.event = 'confirm' and e.application_id = any($1::uuid[])
      group by e.application_id`,
    [scope],
  );
  for (const row of sms)
    if (row.sms !== row.confirms)
      note(`application ${row.application_id}: ${row.confirms} confirmations, ${row.sms} confirmation SMS`);
  checked["confirmations with exactly one SMS"] = sms.length;

  const orphans = await sql<{ id: string }>(
    url,
    `select m.id from materials m left join files f on f.sha256 = m.file_sha256 where f.sha256 is null`,
  );
  for (const m of orphans) note(`material ${m.id}: no stored file row`);
  const materials = await sql<{ id: string; file_sha256: string; size: number }>(
    url,
    `select m.id, m.file_sha256, f.size from materials m join files f on f.sha256 = m.file_sha256`,
  );
  checked["materials with a file row"] = materials.length;
  if (options.filesDir) {
    let onDisk = 0;
    for (const m of materials) {
      const h = m.file_sha256;
      const bytes = await readFile(join(options.filesDir, h.slice(0, 2), h.slice(2, 4), h)).catch(() => null);
      if (!bytes) note(`material ${m.id}: stored file missing`);
      else if (createHash("sha256").update(bytes).digest("hex") !== h || bytes.length !== Number(m.size))
        note(`material ${m.id}: stored file does not hash to its name`);
      else onDisk += 1;
    }
    checked["stored files re-hashed from disk"] = onDisk;
  }
  return { checked, problems };
}

/** One line per check, for the suite's output. */
export function describeChecks(c: Consistency): string {
  return Object.entries(c.checked)
    .map(([what, n]) => `${what}: ${n}`)
    .join("; ");
}
