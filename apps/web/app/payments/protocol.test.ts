import { describe, expect, it } from "vitest";
import {
  MAX_AGE_SECONDS,
  MAX_FUTURE_SKEW_SECONDS,
  SIGNATURE_HEADER,
  signedHeaders,
  TIMESTAMP_HEADER,
  verifySigned,
} from "./protocol.server";

const secret = "protocol-test-secret-0123456789abcdef";
const body = '{"orderNo":"ZC202108060000000001","amountFen":30000}';
const sent = new Date("2021-08-06T02:00:00Z");
const secondsLater = (seconds: number) => new Date(sent.getTime() + seconds * 1000);

describe("the gateway's signatures", () => {
  it("accepts the bytes it signed for five minutes, and not a second longer", () => {
    const headers = signedHeaders(secret, sent, body);
    expect(verifySigned(secret, headers, body, secondsLater(MAX_AGE_SECONDS))).toEqual({
      ok: true,
      timestamp: sent.getTime() / 1000,
    });
    expect(verifySigned(secret, headers, body, secondsLater(MAX_AGE_SECONDS + 1))).toEqual({
      ok: false,
      reason: "stale",
    });
    // A sender's clock slightly ahead is tolerated; further ahead is not.
    expect(verifySigned(secret, headers, body, secondsLater(-MAX_FUTURE_SKEW_SECONDS)).ok).toBe(true);
    expect(verifySigned(secret, headers, body, secondsLater(-MAX_FUTURE_SKEW_SECONDS - 1)).ok).toBe(false);
  });

  it("refuses a changed body, a moved timestamp, another key and malformed headers", () => {
    const headers = signedHeaders(secret, sent, body);
    const refused = { ok: false, reason: "bad-signature" };
    expect(verifySigned(secret, headers, `${body} `, sent)).toEqual(refused);
    expect(
      verifySigned(
        secret,
        { ...headers, [TIMESTAMP_HEADER]: String(Number(headers[TIMESTAMP_HEADER]) + 60) },
        body,
        sent,
      ),
    ).toEqual(refused);
    expect(verifySigned(`${secret}x`, headers, body, sent)).toEqual(refused);
    expect(verifySigned(secret, { ...headers, [SIGNATURE_HEADER]: "v1=abc" }, body, sent)).toEqual(refused);
    expect(verifySigned(secret, { [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER] }, body, sent)).toEqual(
      refused,
    );
    expect(verifySigned(secret, {}, body, sent)).toEqual(refused);
  });
});
