import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorMessage } from "./api";

describe("errorMessage", () => {
  it("says the server could not be reached when the connection dropped, not 'Failed to fetch'", () => {
    const dropped = TRPCClientError.from(new TypeError("Failed to fetch"));
    expect(errorMessage(dropped, "zh-CN")).toBe("无法连接服务器，请检查网络后重试；刷新页面可查看最新状态。");
    expect(errorMessage(dropped, "en")).toMatch(/^The server could not be reached/);
    expect(errorMessage(new Error("boom"), "zh-CN")).not.toContain("boom");
  });

  it("passes the server's own message through when it answered", () => {
    const answered = TRPCClientError.from({
      error: {
        code: -32600,
        message: "投票已结束，不能再投票。",
        data: { code: "BAD_REQUEST", httpStatus: 400, domainCode: "BALLOT_NOT_OPEN" },
      },
    });
    expect(errorMessage(answered, "zh-CN")).toBe("投票已结束，不能再投票。");
  });
});
