export declare const TOPOLOGY: {
  dir: string;
  portalPort: number;
  panelPort: number;
  webPorts: [number, number];
  panelPorts: [number, number];
  readonly allPorts: number[];
  portalUrl: string;
  panelUrl: string;
  database: string;
  adminUrl: string;
  databaseUrl: string;
  redisUrl: string;
  accessLog: string;
};
