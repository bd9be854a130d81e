import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * The text of every page of a PDF as pdf.js extracts it, whitespace removed (CJK layout puts spaces and
 * line breaks between runs where a reader sees none), for tests that check what a document says.
 */
export async function pdfPagesText(bytes: Uint8Array): Promise<string[]> {
  // pdf.js takes ownership of the buffer it is given. (pdf.js 6 no longer has `isEvalSupported`: it never
  // compiles PDF functions with eval, so there is nothing to switch off.)
  const task = getDocument({ data: bytes.slice(), verbosity: 0 });
  const pdf = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ("str" in item ? item.str : ""))
        .join("")
        .replace(/\s+/g, ""),
    );
  }
  await task.destroy();
  return pages;
}

/** The whole document's text, whitespace removed. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await pdfPagesText(bytes)).join("");
}
