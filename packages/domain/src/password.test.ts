import { describe, expect, it } from "vitest";
import { checkPasswordStrength, passwordError } from "./password";

describe("checkPasswordStrength", () => {
  it("accepts a long mixed password", () => {
    expect(checkPasswordStrength("Blue-Kettle-42")).toEqual([]);
    expect(checkPasswordStrength("correcthorse9battery")).toEqual(["too-few-classes"]);
  });

  it("needs 10 to 128 characters", () => {
    expect(checkPasswordStrength("Ab1!xyz")).toContain("too-short");
    expect(checkPasswordStrength(`Ab1!${"x".repeat(125)}`)).toContain("too-long");
  });

  it("needs 3 of 4 character classes", () => {
    expect(checkPasswordStrength("abcdefghij12")).toContain("too-few-classes");
    expect(checkPasswordStrength("abcdefghij12!")).not.toContain("too-few-classes");
  });

  it("refuses the owner's phone, ID number or name", () => {
    const owner = { name: "John Smith", phone: "13800138000", idNumber: "11010519491231002X" };
    expect(checkPasswordStrength("Ab!13800138000", owner)).toContain("contains-phone");
    expect(checkPasswordStrength("Ab!11010519491231002x", owner)).toContain("contains-id-number");
    expect(checkPasswordStrength("JohnSmith#2024", owner)).toContain("contains-name");
  });

  it("refuses common passwords, even dressed up", () => {
    for (const p of [
      "P@ssw0rd2024!",
      "Password123!",
      "Qwertyuiop1!",
      "Aa123456789",
      "1qaz@WSX3edc",
      "1qaz@WSX2024",
    ]) {
      expect(checkPasswordStrength(p), p).toContain("common");
    }
    expect(checkPasswordStrength("Passionfruit12!")).not.toContain("common");
  });

  it("wraps problems in PASSWORD_WEAK", () => {
    expect(passwordError("Blue-Kettle-42")).toBeUndefined();
    expect(passwordError("short")?.code).toBe("PASSWORD_WEAK");
    expect(passwordError("short")?.params.problems).toBe("too-short,too-few-classes");
  });
});
