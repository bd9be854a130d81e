/**
 * True when an error means the database cannot be reached or is not serving right now (stopped,
 * restarting, crashed, out of connections) rather than that the query was wrong: such a request
 * failed as a whole (its transaction never committed) and may simply be tried again shortly.
 * Drizzle wraps the driver's error, so the whole `cause` chain is looked at.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth += 1) {
    if (typeof e !== "object") return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      // Node's socket errors on connect or mid-query.
      if (
        /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND)$/.test(code)
      )
        return true;
      // SQLSTATE: 08xxx connection exceptions, 57P01-57P03 shutdown / crash / starting up, 53300
      // too many connections.
      if (/^(08\d{3}|57P0[123]|53300)$/.test(code)) return true;
    }
    if (
      typeof message === "string" &&
      /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/.test(
        message,
      )
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
