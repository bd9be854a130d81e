import { type Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { send } from "../../../bench/lib/http";

/**
 * A resumable upload as the portal's browser uploader (tus-js-client) does it, in chunks: create,
 * PATCH from the offset, and after any failure (refused connection, reset, 5xx) ask the server for
 * the offset (HEAD) and go on from there. A finished upload whose last answer was lost is attached
 * with the `/api/materials` command, as the uploader does for a resumed upload that was complete.
 */
export interface UploadTrace {
  /** Offsets (> 0) the server reported on HEAD after a failure, from which the upload went on. */
  resumedFrom: number[];
  /** HEAD answers of 0 after bytes had been sent: the upload started over (should never happen). */
  restartedFromZero: number;
  failures: string[];
  materialId?: string;
  attachedBy?: "tus" | "command";
}

export interface Target {
  port: number;
  cookie: string;
  agent: Agent;
  /** Gives up after this instant (performance.now()). */
  deadline: number;
}

const RETRY_MS = 300;

function metadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");
}

/** PATCH requests whose body is being sent right now (the fault waits for some). */
export const patchesInFlight = { count: 0 };

/** One PATCH whose body is sent in two halves with a pause, so that a kill can land mid-body. */
function patch(t: Target, path: string, offset: number, body: Buffer, pauseMs: number) {
  patchesInFlight.count += 1;
  return new Promise<{ status: number; offset: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: t.port,
        method: "PATCH",
        path,
        agent: t.agent,
        headers: {
          "Tus-Resumable": "1.0.0",
          Cookie: t.cookie,
          "Content-Type": "application/offset+octet-stream",
          "Content-Length": String(body.length),
          "Upload-Offset": String(offset),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            offset: Number(res.headers["upload-offset"] ?? -1),
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("PATCH timed out")));
    req.on("error", reject);
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    setTimeout(() => req.end(body.subarray(half)), pauseMs);
  }).finally(() => {
    patchesInFlight.count -= 1;
  });
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function resumableUpload(
  t: Target,
  input: { bytes: Buffer; applicationId: string; kind: string; name: string; chunk: number; pauseMs: number },
): Promise<UploadTrace> {
  const trace: UploadTrace = { resumedFrom: [], restartedFromZero: 0, failures: [] };
  const give = () => {
    if (performance.now() > t.deadline) throw new Error(`gave up: ${trace.failures.slice(-3).join("; ")}`);
  };
  // Creation: without an id nothing was stored, so a failed creation is simply sent again.
  let location = "";
  while (!location) {
    give();
    try {
      const res = await send({
        agent: t.agent,
        port: t.port,
        method: "POST",
        path: "/api/uploads",
        headers: {
          "Tus-Resumable": "1.0.0",
          Cookie: t.cookie,
          "Content-Length": "0",
          "Upload-Length": String(input.bytes.length),
          "Upload-Metadata": metadata({
            filename: input.name,
            filetype: "image/jpeg",
            applicationId: input.applicationId,
            kind: input.kind,
          }),
        },
        timeoutMs: 30_000,
      });
      if (res.status === 201 && res.headers.location)
        location = new URL(res.headers.location, "http://x").pathname;
      else if (res.status >= 500) trace.failures.push(`create ${res.status}`);
      else throw new Error(`creation refused: ${res.status} ${res.body.toString().slice(0, 200)}`);
    } catch (error) {
      if (messageOf(error).startsWith("creation refused")) throw error;
      trace.failures.push(`create: ${messageOf(error)}`);
    }
    if (!location) await sleep(RETRY_MS);
  }
  let offset = 0;
  let sent = false;
  let answer = "";
  while (offset < input.bytes.length) {
    give();
    try {
      const body = input.bytes.subarray(offset, offset + input.chunk);
      const res = await patch(t, location, offset, body, input.pauseMs);
      sent = true;
      if (res.status === 204 || res.status === 200) {
        offset = res.offset;
        answer = res.body;
        continue;
      }
      if (res.status < 500 && res.status !== 409)
        throw new Error(`PATCH refused: ${res.status} ${res.body.slice(0, 200)}`);
      trace.failures.push(`PATCH ${res.status}`);
    } catch (error) {
      if (messageOf(error).startsWith("PATCH refused")) throw error;
      sent = true;
      trace.failures.push(`PATCH: ${messageOf(error)}`);
    }
    // Where did the server get to? Ask until it answers.
    for (;;) {
      give();
      await sleep(RETRY_MS);
      try {
        const head = await send({
          agent: t.agent,
          port: t.port,
          method: "HEAD",
          path: location,
          headers: { "Tus-Resumable": "1.0.0", Cookie: t.cookie },
          timeoutMs: 30_000,
        });
        if (head.status !== 200) {
          trace.failures.push(`HEAD ${head.status}`);
          continue;
        }
        const at = Number(head.headers["upload-offset"]);
        if (at > 0) trace.resumedFrom.push(at);
        else if (sent) trace.restartedFromZero += 1;
        offset = at;
        answer = "";
        break;
      } catch (error) {
        trace.failures.push(`HEAD: ${messageOf(error)}`);
      }
    }
  }
  const attached = /^\{/.test(answer)
    ? (JSON.parse(answer) as { ok?: boolean; material?: { id: string } })
    : null;
  if (attached?.ok && attached.material) {
    trace.materialId = attached.material.id;
    trace.attachedBy = "tus";
    return trace;
  }
  // Complete, but the answer with the material was lost: attach with the command (idempotent).
  const uploadId = location.split("/").pop()!;
  for (;;) {
    give();
    try {
      const body = JSON.stringify({ intent: "attach", uploadId });
      const res = await send({
        agent: t.agent,
        port: t.port,
        method: "POST",
        path: "/api/materials",
        headers: {
          Cookie: t.cookie,
          "Content-Type": "application/json",
          "Content-Length": String(Buffer.byteLength(body)),
          Origin: `http://127.0.0.1:${t.port}`,
          "Sec-Fetch-Site": "same-origin",
        },
        body,
        timeoutMs: 30_000,
      });
      const json = JSON.parse(res.body.toString() || "{}") as {
        ok?: boolean;
        material?: { id: string };
        message?: string;
      };
      if (res.status === 200 && json.ok && json.material) {
        trace.materialId = json.material.id;
        trace.attachedBy = "command";
        return trace;
      }
      if (res.status < 500) throw new Error(`attach refused: ${res.status} ${json.message ?? ""}`);
      trace.failures.push(`attach ${res.status}`);
    } catch (error) {
      if (messageOf(error).startsWith("attach refused")) throw error;
      trace.failures.push(`attach: ${messageOf(error)}`);
    }
    await sleep(RETRY_MS);
  }
}

/** The hidden CSRF field of a form page, if the portal puts one there. */
async function csrfField(t: Target, path: string): Promise<Record<string, string>> {
  const res = await send({
    agent: t.agent,
    port: t.port,
    method: "GET",
    path,
    headers: { Cookie: t.cookie },
    timeoutMs: 30_000,
  });
  const html = res.body.toString();
  const input =
    /<input[^>]*type="hidden"[^>]*name="([^"]*csrf[^"]*)"[^>]*value="([^"]*)"/i.exec(html) ??
    /<input[^>]*name="([^"]*csrf[^"]*)"[^>]*type="hidden"[^>]*value="([^"]*)"/i.exec(html);
  return input ? { [input[1]!]: input[2]! } : {};
}

/**
 * The confirmation form as the browser posts it; `true` once the portal redirected to the confirmed
 * application. Failures other than a refusal are retried; `isConfirmed` settles a retry whose first
 * attempt went through but whose answer was lost (the applicant reloads and sees it confirmed).
 */
export async function confirmWithRetry(
  t: Target,
  applicationId: string,
  isConfirmed: () => Promise<boolean>,
): Promise<{ attempts: number }> {
  let attempts = 0;
  for (;;) {
    if (performance.now() > t.deadline) throw new Error("confirm: gave up");
    attempts += 1;
    try {
      const path = `/applications/${applicationId}/confirm`;
      const form = new URLSearchParams(await csrfField(t, path)).toString();
      const res = await send({
        agent: t.agent,
        port: t.port,
        method: "POST",
        path,
        headers: {
          Cookie: t.cookie,
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": String(Buffer.byteLength(form)),
          Origin: `http://127.0.0.1:${t.port}`,
          "Sec-Fetch-Site": "same-origin",
          Accept: "text/html",
        },
        body: form,
        timeoutMs: 30_000,
      });
      if (res.status >= 300 && res.status < 400 && (res.headers.location ?? "").includes("confirmed=1"))
        return { attempts };
      if (attempts > 1 && (await isConfirmed())) return { attempts };
      if (res.status < 500) {
        const alert = /role="alert"[^>]*>([^<]{0,200})/.exec(res.body.toString())?.[1] ?? "";
        throw new Error(`confirm refused: ${res.status} ${alert}`);
      }
    } catch (error) {
      if (messageOf(error).startsWith("confirm refused")) throw error;
    }
    await sleep(RETRY_MS);
  }
}
