// Where the topology test puts everything: ports 3200–3299 only, one data folder, one database.
import { join } from "node:path";

const base = 3200;
const dir = join(new URL("../../", import.meta.url).pathname, ".data-topology");

export const TOPOLOGY = {
  dir,
  /** nginx: the two public origins. */
  portalPort: base,
  panelPort: base + 1,
  webPorts: [base + 10, base + 11],
  panelPorts: [base + 20, base + 21],
  get allPorts() {
    return [this.portalPort, this.panelPort, ...this.webPorts, ...this.panelPorts];
  },
  portalUrl: `http://localhost:${base}`,
  panelUrl: `http://localhost:${base + 1}`,
  database: "topology_e2e",
  adminUrl: "postgres://postgres@127.0.0.1:5432/postgres",
  databaseUrl: "postgres://postgres@127.0.0.1:5432/topology_e2e",
  /** A Redis database index of its own: the socket.io streams do not meet other runs'. */
  redisUrl: "redis://127.0.0.1:6379/9",
  accessLog: join(dir, "logs/nginx-access.log"),
};
