import { readdirSync, readFileSync } from "node:fs";

/**
 * Every entry point of the system, read from the source so a new one without a row in the access matrix
 * fails the suite: the portal's route modules (loader and action), both tRPC routers, the panel's socket
 * events and its plain HTTP routes.
 */

const root = new URL("../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

/** `route loader <file>` / `route action <file>` for every Remix route module that exports one. */
export function routeEntries(): string[] {
  const dir = "apps/web/app/routes/";
  const entries: string[] = [];
  for (const file of readdirSync(new URL(dir, root)).sort()) {
    if (!/\.tsx?$/.test(file) || /\.test\./.test(file)) continue;
    const source = read(dir + file);
    for (const kind of ["loader", "action"] as const) {
      const exported = new RegExp(`export\\s+(async\\s+)?(function|const)\\s+${kind}\\b`).test(source);
      if (exported) entries.push(`route ${kind} ${file}`);
    }
  }
  return entries;
}

/**
 * The procedure paths of a tRPC router file: `name: router({ … })` nests, `name: procedure` is a leaf.
 * Only the object passed to `router(` in `appRouter = router({…})` is read.
 */
export function procedurePaths(file: string): string[] {
  const source = read(file);
  const start = source.indexOf("appRouter = router({");
  if (start < 0) throw new Error(`${file}: no appRouter = router({ … })`);
  const body = source.slice(start + "appRouter = router({".length);
  const paths: string[] = [];
  const stack: string[] = [];
  const token = /(\w+):\s*router\(\{|(\w+):\s*(\w+)\s*[,}]|\}\)/g;
  let depth = 1;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    if (m[1]) {
      stack.push(m[1]);
      depth++;
    } else if (m[2]) {
      paths.push([...stack, m[2]].join("."));
      // A leaf directly before the closing `})` shares its `}` with it.
      if (m[0].endsWith("}")) token.lastIndex -= 1;
    } else {
      depth--;
      if (depth === 0) break;
      stack.pop();
    }
  }
  return paths;
}

export const portalProcedures = () => procedurePaths("apps/web/app/trpc/router.server.ts");
export const panelProcedures = () => procedurePaths("apps/panel/server/trpc/router.ts");

/**
 * Client-to-server socket events: the `ClientToServerEvents` interface (socket.ts, yjs/documents.ts) and
 * the committee channel's `socket.on(CommitteeEvent.X` (committee/live.ts); `connect` is the handshake.
 */
export function socketEvents(): string[] {
  const codes = read("apps/panel/server/socket-codes.ts");
  const block = /interface ClientToServerEvents \{([\s\S]*?)\n\}/.exec(codes)?.[1] ?? "";
  const events = [...block.matchAll(/"([\w-]+:[\w-]+)":/g)].map((m) => m[1]!);
  const live = read("apps/panel/server/committee/live.ts");
  const constants = Object.fromEntries(
    [...live.matchAll(/(\w+):\s*"(committee:[\w-]+)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  for (const m of live.matchAll(/socket\.on\(CommitteeEvent\.(\w+)/g)) events.push(constants[m[1]!]!);
  return ["connect", ...events].sort();
}

/** `GET <path>` for every express route of the panel server (not the tests). */
export function panelHttpRoutes(): string[] {
  const dir = "apps/panel/server/";
  const routes: string[] = [];
  for (const file of readdirSync(new URL(dir, root)).sort()) {
    if (!file.endsWith(".ts") || file.includes(".test.")) continue;
    for (const m of read(dir + file).matchAll(/\b(?:app|router)\.(get|post|put|delete|all)\(\s*"([^"]+)"/g)) {
      routes.push(`${m[1]!.toUpperCase()} ${m[2]}`);
    }
  }
  return routes.sort();
}

/** Every entry point, as the matrix names them. */
export function allEntryPoints(): string[] {
  return [
    ...routeEntries(),
    ...portalProcedures().map((p) => `portal tRPC ${p}`),
    ...panelProcedures().map((p) => `panel tRPC ${p}`),
    ...socketEvents().map((e) => `socket ${e}`),
    ...panelHttpRoutes().map((r) => `panel ${r}`),
  ];
}
