import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, PDFName, PDFString } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultInspectLimits, inspectUpload, scanPdfBytes } from "./inspect.server";
import { handWrittenPdf } from "./testing.server";

describe("upload inspection", () => {
  let dir: string;
  let n = 0;
  const file = async (bytes: Uint8Array) => {
    n += 1;
    const path = join(dir, `f${n}`);
    await writeFile(path, bytes);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "titles-inspect-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("finds risky names in raw bytes, #-escaped ones too, but not look-alikes", () => {
    const found = (s: string) => [...scanPdfBytes(Buffer.from(s, "latin1"))].sort();
    expect(found("<< /S /J#61vaScript /JS (x) >>")).toEqual(["javascript"]);
    expect(found("<< /S /Launch /F (a) >> << /Type /EmbeddedFile >>")).toEqual(["embedded", "launch"]);
    expect(found("<< /JSON 1 /Launcher 2 /Type /Page >>")).toEqual([]);
  });

  it("catches JavaScript hidden in a compressed object stream through pdf.js", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const js = doc.context.obj({ Type: "Action", S: "JavaScript", JS: PDFString.of("app.alert(1)") });
    doc.catalog.set(PDFName.of("OpenAction"), doc.context.register(js));
    const bytes = await doc.save({ useObjectStreams: true });
    // The raw scan cannot see inside the deflated object stream…
    expect([...scanPdfBytes(bytes)]).toEqual([]);
    // …the parser can.
    await expect(inspectUpload(await file(bytes))).rejects.toMatchObject({
      code: "UPLOAD_PDF_ACTIVE_CONTENT",
      params: { whatEn: "JavaScript" },
    });
  });

  it("counts the pages of a plain PDF and keeps it as sent", async () => {
    const path = await file(handWrittenPdf({ pages: 4 }));
    expect(await inspectUpload(path)).toMatchObject({ kind: "pdf", pages: 4, sourcePath: path });
  });

  it("refuses what is too large before reading it", async () => {
    const path = await file(Buffer.alloc(2048, 1));
    await expect(inspectUpload(path, { ...defaultInspectLimits, maxBytes: 1024 })).rejects.toMatchObject({
      code: "UPLOAD_TOO_LARGE",
    });
  });

  it("names unknown and empty content", async () => {
    await expect(inspectUpload(await file(Buffer.from("just some text")))).rejects.toMatchObject({
      code: "UPLOAD_TYPE_NOT_ALLOWED",
      params: { detectedEn: "unrecognised data" },
    });
    await expect(inspectUpload(await file(Buffer.alloc(0)))).rejects.toMatchObject({
      code: "UPLOAD_UNREADABLE",
    });
  });
});
