import { describe, expect, it } from "vitest";
import {
  DomainError,
  DomainErrorCode,
  domainErrorCodes,
  errorCategories,
  inputRefusalMessage,
  isDomainError,
  messageFor,
  messageParams,
} from "./errors";

describe("DomainError", () => {
  it("has a code, params and an English message", () => {
    const e = new DomainError("WINDOW_CLOSED", { opens: "2021-07-06", closes: "2021-07-26" });
    expect(e).toBeInstanceOf(Error);
    expect(isDomainError(e)).toBe(true);
    expect(e.code).toBe(DomainErrorCode.WINDOW_CLOSED);
    expect(e.message).toContain("2021-07-26");
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: "WINDOW_CLOSED", params: e.params });
  });

  it("every code has both messages, a category, and names each slot's param", () => {
    for (const code of domainErrorCodes) {
      expect(errorCategories[code]).toBeDefined();
      const params = Object.fromEntries(messageParams(code).map((p) => [p, "x"]));
      for (const locale of ["zh-CN", "en"] as const) {
        const m = messageFor(code, locale, params);
        expect(m.length, code).toBeGreaterThan(5);
        expect(m, `${code} ${locale}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it("shows labels for ids in the reader's language", () => {
    const e = new DomainError("INVALID_TRANSITION", { from: "draft", event: "pay" });
    expect(messageFor(e, "zh-CN")).toBe("当前状态“草稿”下不能执行“缴费”。");
    expect(messageFor(e, "en")).toBe("“Pay” is not possible while the application is “Draft”.");
    expect(messageFor("NO_SUCH_LEVEL", "zh-CN", { series: "accounting", level: "intermediate" })).toBe(
      "会计系列不评审中级职称（该级别通过考试取得）。",
    );
    expect(messageFor("LOGIN_THROTTLED", "zh-CN", { minutes: 2, seconds: 61 })).toBe(
      "登录失败次数过多，请2分钟后再试。",
    );
    expect(messageFor("ID_NUMBER_FORMAT", "en", { idType: "passport" })).toContain("Passport");
  });

  it("leaves a missing param visible", () => {
    expect(messageFor("FORBIDDEN", "en")).toBe("You may not do this: {reason}");
  });
});

describe("inputRefusalMessage", () => {
  it("names the fields of a refused input in the reader's language, never zod's dump", () => {
    const issues = [{ path: ["scores", "theory"] }, { path: ["scores", "theory"] }, { path: ["meetingId"] }];
    expect(inputRefusalMessage({ issues }, "zh-CN")).toBe("请求参数不正确：scores.theory、meetingId。");
    expect(inputRefusalMessage({ issues }, "en")).toBe(
      "The request is not valid: check scores.theory, meetingId.",
    );
    expect(inputRefusalMessage({ unreadable: true }, "zh-CN")).toBe("请求内容无法解析。");
  });

  it("keeps a caller's hostile key short and plain, and lists at most five fields", () => {
    const hostile = `<script>${"x".repeat(200)}`;
    const message = inputRefusalMessage({ issues: [{ path: [hostile] }] }, "zh-CN");
    expect(message).not.toContain("<");
    expect(message).toBe(`请求参数不正确：script${"x".repeat(34)}。`);
    const many = Array.from({ length: 9 }, (_, i) => ({ path: [`f${i}`] }));
    expect(inputRefusalMessage({ issues: many }, "en")).toBe(
      "The request is not valid: check f0, f1, f2, f3, f4.",
    );
    expect(inputRefusalMessage({ issues: [{ path: [] }] }, "en")).toBe("The request is not valid.");
  });
});
