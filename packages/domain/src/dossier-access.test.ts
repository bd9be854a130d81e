import { describe, expect, it } from "vitest";
import { dossierAccess } from "./dossier-access";

describe("dossierAccess", () => {
  it("lets a member read the dossier of an application on the agenda; observers only read", () => {
    expect(dossierAccess({ role: "expert", onAgenda: true, recused: false })).toEqual({
      ok: true,
      role: "expert",
      readOnly: false,
    });
    expect(dossierAccess({ role: "chair", onAgenda: true, recused: false })).toMatchObject({
      readOnly: false,
    });
    expect(dossierAccess({ role: "observer", onAgenda: true, recused: false })).toMatchObject({
      readOnly: true,
    });
  });

  it("refuses outsiders first, then applications off the agenda, then recused members", () => {
    expect(dossierAccess({ role: null, onAgenda: false, recused: true })).toEqual({
      ok: false,
      code: "NOT_A_MEMBER",
    });
    expect(dossierAccess({ role: "secretary", onAgenda: true, recused: false })).toMatchObject({
      code: "NOT_A_MEMBER",
    });
    expect(dossierAccess({ role: "expert", onAgenda: false, recused: true })).toMatchObject({
      code: "NOT_ON_AGENDA",
    });
    expect(dossierAccess({ role: "chair", onAgenda: true, recused: true })).toMatchObject({
      code: "RECUSED",
    });
  });
});
