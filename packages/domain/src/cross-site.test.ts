import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./cross-site";

const own = "http://localhost:3100";
const panel = "http://localhost:3101";
const check = (method: string, origin?: string | null, site?: string) =>
  crossSiteRefusal({ method, origin, secFetchSite: site, ownOrigin: own }, [own, panel])?.code ?? null;

describe("cross-site request refusal", () => {
  it("lets our own pages and the panel's logout form post", () => {
    expect(check("POST", own, "same-origin")).toBeNull();
    expect(check("POST", `${own}/`, "same-origin")).toBeNull();
    expect(check("POST", panel, "same-site")).toBeNull();
    expect(check("PATCH", own)).toBeNull();
    // A no-referrer page posting to itself: Origin null, but the browser says same-origin.
    expect(check("POST", "null", "same-origin")).toBeNull();
  });

  it("refuses a form or fetch from another site, or from an opaque origin", () => {
    expect(check("POST", "https://evil.example", "cross-site")).toBe("CROSS_SITE_REQUEST");
    expect(check("DELETE", "http://localhost:9999", "same-site")).toBe("CROSS_SITE_REQUEST");
    expect(check("POST", "null", "cross-site")).toBe("CROSS_SITE_REQUEST");
    expect(check("POST", "null", undefined)).toBe("CROSS_SITE_REQUEST");
    // Some browsers leave Origin off; Sec-Fetch-Site still tells.
    expect(check("POST", null, "cross-site")).toBe("CROSS_SITE_REQUEST");
    expect(check("POST", null, "same-site")).toBe("CROSS_SITE_REQUEST");
  });

  it("lets reads, and clients that are not browsers, through to the usual checks", () => {
    expect(check("GET", "https://evil.example", "cross-site")).toBeNull();
    expect(check("HEAD", "https://evil.example")).toBeNull();
    expect(check("POST", null, undefined)).toBeNull();
    expect(check("POST", null, "none")).toBeNull();
  });
});
