import { describe, expect, it } from "vitest";
import { attachmentsProblem, checkApplicationAccess, checkMaterialWrite } from "./access";
import { DomainError } from "./errors";

const applicant = { userId: "a", roles: [{ role: "applicant", organisationId: null }] };
const other = { userId: "b", roles: [{ role: "applicant", organisationId: null }] };
const hr = { userId: "h", roles: [{ role: "hr", organisationId: "unit-1" }] };
const otherHr = { userId: "h2", roles: [{ role: "hr", organisationId: "unit-2" }] };
const app = (state: Parameters<typeof checkMaterialWrite>[1]["state"]) => ({
  applicantId: "a",
  employerId: "unit-1",
  state,
});

describe("access to an application", () => {
  it("lets the applicant read and act on their own, nobody else's", () => {
    expect(checkApplicationAccess(applicant, app("draft"), "read")).toBeNull();
    expect(checkApplicationAccess(other, app("draft"), "read")?.params.reason).toBe("not-yours");
    expect(checkApplicationAccess(applicant, app("draft"), "employer")?.code).toBe("FORBIDDEN");
  });

  it("lets HR of the unit read and act once it reached them, never a draft, never another unit", () => {
    expect(checkApplicationAccess(hr, app("draft"), "read")?.code).toBe("FORBIDDEN");
    expect(checkApplicationAccess(hr, app("submitted"), "employer")).toBeNull();
    expect(checkApplicationAccess(otherHr, app("submitted"), "employer")?.params.reason).toBe(
      "not-your-unit",
    );
    expect(checkApplicationAccess(hr, app("submitted"), "applicant")?.code).toBe("FORBIDDEN");
  });
});

describe("who may write which materials, and when", () => {
  it("achievements while editable, stamped documents once recommended, by the applicant only", () => {
    expect(checkMaterialWrite(applicant, app("draft"), "achievement")).toBeNull();
    expect(checkMaterialWrite(applicant, app("employer_returned"), "achievement")).toBeNull();
    expect(checkMaterialWrite(applicant, app("submitted"), "achievement")?.params.reason).toBe(
      "not-editable",
    );
    expect(checkMaterialWrite(applicant, app("draft"), "stamped-form")?.params.reason).toBe(
      "not-recommended",
    );
    expect(checkMaterialWrite(applicant, app("recommended"), "signed-pledge")).toBeNull();
    expect(checkMaterialWrite(other, app("draft"), "achievement")?.params.reason).toBe("not-yours");
  });

  it("HR's stamped scans during its publicity only", () => {
    expect(checkMaterialWrite(hr, app("publicity"), "employer-scan")).toBeNull();
    expect(checkMaterialWrite(hr, app("recommended"), "employer-scan")?.params.reason).toBe("not-publicity");
    expect(checkMaterialWrite(applicant, app("publicity"), "employer-scan")?.code).toBe("FORBIDDEN");
    expect(checkMaterialWrite(otherHr, app("publicity"), "employer-scan")?.params.reason).toBe(
      "not-your-unit",
    );
  });

  it("nothing once the window has closed", () => {
    const closed = new DomainError("WINDOW_CLOSED", { opens: "2021-07-06", closes: "2021-07-26" });
    expect(
      checkMaterialWrite(applicant, { ...app("recommended"), windowClosed: closed }, "stamped-form"),
    ).toBe(closed);
    expect(checkMaterialWrite(hr, { ...app("publicity"), windowClosed: closed }, "employer-scan")).toBe(
      closed,
    );
  });
});

describe("what must be attached before an act", () => {
  it("HR's scans before recommending during the publicity; the three stamped documents before confirming", () => {
    expect(attachmentsProblem("publicity", "recommend", [])?.code).toBe("EMPLOYER_SCANS_MISSING");
    expect(attachmentsProblem("publicity", "recommend", ["employer-scan"])).toBeNull();
    expect(attachmentsProblem("objection_upheld", "recommend", [])).toBeNull();
    expect(attachmentsProblem("recommended", "confirm", ["stamped-form"])?.params.missing).toBe(
      "signed-pledge,publicity-material",
    );
    expect(
      attachmentsProblem("recommended", "confirm", ["stamped-form", "signed-pledge", "publicity-material"]),
    ).toBeNull();
  });
});

describe("agency and district access", () => {
  const base = {
    applicantId: "a",
    employerId: "unit1",
    state: "confirmed" as const,
    series: "engineering",
    track: "regular",
    confirmedAt: new Date("2021-07-20T02:00:00Z"),
    employerDistrict: "haidian",
  };
  const engineering = {
    userId: "r1",
    roles: [{ role: "agency", organisationId: "eng", organisationSeries: ["engineering"] }],
  };
  const economics = {
    userId: "r2",
    roles: [{ role: "agency", organisationId: "econ", organisationSeries: ["economics"] }],
  };
  const haidian = {
    userId: "d1",
    roles: [{ role: "district", organisationId: "hd", organisationDistrict: "haidian" }],
  };
  const chaoyang = {
    userId: "d2",
    roles: [{ role: "district", organisationId: "cy", organisationDistrict: "chaoyang" }],
  };

  it("lets the agency of the series review a confirmed file, and no other agency", () => {
    expect(checkApplicationAccess(engineering, base, "agency")).toBeNull();
    expect(checkApplicationAccess(engineering, base, "read")).toBeNull();
    expect(checkApplicationAccess(economics, base, "agency")?.params).toMatchObject({
      reason: "not-your-agency",
    });
    expect(checkApplicationAccess(economics, base, "read")?.code).toBe("FORBIDDEN");
    // Not before the applicant confirmed.
    expect(checkApplicationAccess(engineering, { ...base, confirmedAt: null }, "agency")?.code).toBe(
      "FORBIDDEN",
    );
  });

  it("shows a through-train file to its district bureau, and to the agency only once forwarded", () => {
    const file = { ...base, track: "through-train" };
    expect(checkApplicationAccess(haidian, file, "district")).toBeNull();
    expect(checkApplicationAccess(chaoyang, file, "district")?.params).toMatchObject({
      reason: "not-your-district",
    });
    expect(checkApplicationAccess(chaoyang, file, "read")?.code).toBe("FORBIDDEN");
    expect(checkApplicationAccess(haidian, base, "district")?.code).toBe("FORBIDDEN");
    expect(checkApplicationAccess(engineering, file, "agency")?.code).toBe("FORBIDDEN");
    expect(checkApplicationAccess(engineering, { ...file, forwardedToAgency: true }, "agency")).toBeNull();
  });
});

describe("material changes while a correction is open", () => {
  const applicant = { userId: "a", roles: [{ role: "applicant", organisationId: null }] };
  const app = { applicantId: "a", employerId: "unit1", state: "correction_requested" as const };
  const closedWindow = new DomainError("WINDOW_CLOSED", { closes: "2021-07-30" });

  it("allows the kinds the notice names after the window closed, until the correction deadline", () => {
    const correction = { materialKinds: ["achievement"], closed: null };
    expect(
      checkMaterialWrite(applicant, { ...app, windowClosed: closedWindow, correction }, "achievement"),
    ).toBeNull();
    expect(checkMaterialWrite(applicant, { ...app, correction }, "stamped-form")?.params).toMatchObject({
      reason: "not-in-correction",
    });
    const late = new DomainError("DEADLINE_PASSED", { deadline: "2021-08-10" });
    expect(
      checkMaterialWrite(applicant, { ...app, correction: { ...correction, closed: late } }, "achievement"),
    ).toBe(late);
    expect(
      checkMaterialWrite({ userId: "b", roles: applicant.roles }, { ...app, correction }, "achievement")
        ?.code,
    ).toBe("FORBIDDEN");
  });
});
