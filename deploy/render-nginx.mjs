#!/usr/bin/env node
// Renders deploy/nginx.conf into a concrete configuration.
//
//   NGINX_WEB_SERVERS=10.0.0.11:3000,10.0.0.12:3000 NGINX_PANEL_SERVERS=10.0.0.11:3001,10.0.0.12:3001 \
//   NGINX_PORTAL_LISTEN="443 ssl" NGINX_PORTAL_SERVER_NAME=zhicheng.example.gov.cn \
//   NGINX_PANEL_LISTEN="443 ssl" NGINX_PANEL_SERVER_NAME=panel.zhicheng.example.gov.cn \
//   NGINX_TLS_CERT=/etc/ssl/titles.pem NGINX_TLS_KEY=/etc/ssl/private/titles.key \
//   node deploy/render-nginx.mjs > /etc/nginx/nginx.conf
//
// The topology test imports `renderNginx` and fills in its own ports and private paths.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * @param {{
 *   webServers: string[]; panelServers: string[];
 *   portalListen: string; panelListen: string;
 *   portalServerName?: string; panelServerName?: string;
 *   tls?: { cert: string; key: string };
 *   pidFile?: string; errorLog?: string; accessLog?: string; tempDir?: string; mimeTypes?: string;
 *   workerProcesses?: string; portalExtra?: string;
 * }} options
 */
export function renderNginx(options) {
  if (options.webServers.length === 0 || options.panelServers.length === 0) {
    throw new Error("at least one web and one panel server / 至少需要一个门户和一个专家工作台进程");
  }
  const servers = (list) =>
    list.map((address) => `    server ${address} max_fails=1 fail_timeout=5s;`).join("\n");
  const tls = options.tls
    ? [
        `    ssl_certificate ${options.tls.cert};`,
        `    ssl_certificate_key ${options.tls.key};`,
        "    ssl_protocols TLSv1.2 TLSv1.3;",
        "    ssl_session_cache shared:titles_tls:10m;",
      ].join("\n")
    : "";
  const values = {
    WORKER_PROCESSES: options.workerProcesses ?? "auto",
    PID_FILE: options.pidFile ?? "/run/nginx.pid",
    ERROR_LOG: options.errorLog ?? "/var/log/nginx/error.log",
    ACCESS_LOG: options.accessLog ?? "/var/log/nginx/titles-access.log",
    TEMP_DIR: options.tempDir ?? "/var/lib/nginx",
    MIME_TYPES: options.mimeTypes ?? "/etc/nginx/mime.types",
    WEB_SERVERS: servers(options.webServers),
    PANEL_SERVERS: servers(options.panelServers),
    PORTAL_LISTEN: options.portalListen,
    PANEL_LISTEN: options.panelListen,
    PORTAL_SERVER_NAME: options.portalServerName ?? "_",
    PANEL_SERVER_NAME: options.panelServerName ?? "_",
    PORTAL_TLS: tls,
    PANEL_TLS: tls,
    PORTAL_EXTRA: options.portalExtra ?? "",
    // With TLS, plain http only redirects (the apps send HSTS).
    HTTP_REDIRECT: options.tls
      ? [
          "",
          "  server {",
          "    listen 80;",
          "    server_name _;",
          "    return 301 https://$host$request_uri;",
          "  }",
        ].join("\n")
      : "",
  };
  const template = readFileSync(join(here, "nginx.conf"), "utf8");
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`unknown placeholder {{${name}}}`);
    return values[name];
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const list = (name) =>
    (process.env[name] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const env = process.env;
  try {
    process.stdout.write(
      renderNginx({
        webServers: list("NGINX_WEB_SERVERS"),
        panelServers: list("NGINX_PANEL_SERVERS"),
        portalListen: env.NGINX_PORTAL_LISTEN ?? "80",
        panelListen: env.NGINX_PANEL_LISTEN ?? "8080",
        portalServerName: env.NGINX_PORTAL_SERVER_NAME,
        panelServerName: env.NGINX_PANEL_SERVER_NAME,
        tls:
          env.NGINX_TLS_CERT && env.NGINX_TLS_KEY
            ? { cert: env.NGINX_TLS_CERT, key: env.NGINX_TLS_KEY }
            : undefined,
      }),
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
