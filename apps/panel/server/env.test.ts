import { describe, expect, it } from "vitest";
import { parsePanelEnv, publicConfig } from "./env";

const valid = { DATABASE_URL: "postgres://localhost:5432/titles", SESSION_SECRET: "s".repeat(32) };

describe("parsePanelEnv", () => {
  it("applies the defaults", () => {
    expect(parsePanelEnv(valid)).toEqual({
      ...valid,
      NODE_ENV: "development",
      PORT: 3001,
      PORTAL_URL: "http://localhost:3000",
      PANEL_URL: "http://localhost:3001",
      PANEL_CLIENT: "vite",
    });
    expect(parsePanelEnv({ ...valid, NODE_ENV: "test" }).PANEL_CLIENT).toBe("none");
    expect(parsePanelEnv({ ...valid, NODE_ENV: "test", PANEL_CLIENT: "dist" }).PANEL_CLIENT).toBe("dist");
  });

  it("drops a trailing slash from the two origins", () => {
    const config = parsePanelEnv({
      ...valid,
      PORTAL_URL: "https://portal.example/",
      PANEL_URL: "https://panel.example/",
    });
    expect(publicConfig(config)).toEqual({
      PORTAL_URL: "https://portal.example",
      PANEL_URL: "https://panel.example",
    });
  });

  it("lists every bad variable, in Chinese and English", () => {
    let message = "";
    try {
      parsePanelEnv({ SESSION_SECRET: "short", PORT: "abc" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("专家工作台配置无效 / invalid panel configuration");
    expect(message).toMatch(/DATABASE_URL: DATABASE_URL 未设置 \/ is not set/);
    expect(message).toMatch(/SESSION_SECRET: .*至少 32 个字符/);
    expect(message).toContain("PORT");
  });
});
