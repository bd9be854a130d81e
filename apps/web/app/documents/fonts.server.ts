import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as fontkit from "fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";
import type { Font, Fontkit, Subset, SubsetStream } from "pdf-lib/cjs/types/fontkit";

/**
 * Noto Serif SC from npm (@expo-google-fonts/noto-serif-sc), two weights. Each TTF is about 15 MB, so the
 * bytes are read and parsed once per process and shared by every document; pdf-lib only ever sees the
 * parsed font through the adapter below and embeds a subset of the glyphs a document uses.
 */
const fontPackage = "@expo-google-fonts/noto-serif-sc";
const fontFiles = {
  regular: `${fontPackage}/400Regular/NotoSerifSC_400Regular.ttf`,
  bold: `${fontPackage}/700Bold/NotoSerifSC_700Bold.ttf`,
} as const;

export type FontWeight = keyof typeof fontFiles;

interface LoadedFont {
  bytes: Uint8Array;
  font: fontkit.FontkitFont;
}

const loaded = new Map<FontWeight, LoadedFont>();
const parsedByBytes = new WeakMap<Uint8Array, Font>();

function load(weight: FontWeight): LoadedFont {
  let entry = loaded.get(weight);
  if (!entry) {
    const path = createRequire(import.meta.url).resolve(fontFiles[weight]);
    const bytes = new Uint8Array(readFileSync(path));
    const font = fontkit.create(bytes);
    entry = { bytes, font };
    loaded.set(weight, entry);
    parsedByBytes.set(bytes, adaptFont(font));
  }
  return entry;
}

/**
 * pdf-lib 1.17 is written against the @pdf-lib/fontkit fork, whose subsetter corrupts some CJK glyphs
 * (pdf-lib issue #1232). fontkit 2 subsets correctly but encodes a subset synchronously to bytes instead of
 * returning a stream; this wraps its subset in the small stream interface pdf-lib listens to.
 */
function adaptSubset(subset: fontkit.FontkitSubset): Subset {
  return {
    includeGlyph: (glyph) => subset.includeGlyph(glyph),
    encodeStream(): SubsetStream {
      const onData: ((bytes: Uint8Array) => unknown)[] = [];
      const onEnd: (() => unknown)[] = [];
      const onError: ((error: unknown) => unknown)[] = [];
      // pdf-lib attaches its listeners synchronously after this returns, so emit on the next microtask.
      queueMicrotask(() => {
        try {
          const bytes = subset.encode();
          for (const listener of onData) listener(bytes);
          for (const listener of onEnd) listener();
        } catch (error) {
          for (const listener of onError) listener(error);
        }
      });
      const stream: SubsetStream = {
        on(eventType, callback) {
          // pdf-lib also listens for "error", which its type for this stream leaves out.
          const event: string = eventType;
          if (event === "data") onData.push(callback);
          else if (event === "end") onEnd.push(callback as () => unknown);
          else if (event === "error") onError.push(callback as (error: unknown) => unknown);
          return stream;
        },
      };
      return stream;
    },
  };
}

function adaptFont(font: fontkit.FontkitFont): Font {
  return new Proxy(font, {
    get(target, property) {
      if (property === "createSubset") return () => adaptSubset(target.createSubset());
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as Font;
}

/** What pdf-lib's `registerFontkit` takes: hands back the process-wide parsed font for our font bytes. */
export const fontkitAdapter: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string): Font {
    const cached = parsedByBytes.get(buffer);
    if (cached) return cached;
    return adaptFont(fontkit.create(buffer, postscriptName));
  },
};

export interface DocumentFonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Registers the adapter on the document and embeds both weights as subsets. */
export async function embedDocumentFonts(doc: PDFDocument): Promise<DocumentFonts> {
  doc.registerFontkit(fontkitAdapter);
  const [regular, bold] = await Promise.all([
    doc.embedFont(load("regular").bytes, { subset: true }),
    doc.embedFont(load("bold").bytes, { subset: true }),
  ]);
  return { regular, bold };
}

/** Loads and parses both weights now, e.g. at server start, so the first download does not pay for it. */
export function preloadDocumentFonts(): void {
  load("regular");
  load("bold");
}

/** Characters of `text` that the font has no glyph for (they would print as an empty box). */
export function missingGlyphs(text: string, weight: FontWeight = "regular"): string[] {
  const { font } = load(weight);
  const missing = new Set<string>();
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint < 0x20 || codePoint === 0x7f) continue;
    if (!font.hasGlyphForCodePoint(codePoint)) missing.add(char);
  }
  return [...missing];
}

/** The parsed font of a weight, for tests that compare embedded glyph outlines with the originals. */
export function sourceFont(weight: FontWeight): fontkit.FontkitFont {
  return load(weight).font;
}

// ---------------------------------------------------------------------------------------------------------
// Line breaking. pdf-lib only breaks at spaces, so CJK text is broken here, per character, with the
// basic Chinese rules: closing punctuation never starts a line and opening punctuation never ends one.
// Runs of Latin letters and digits stay together unless a run alone is wider than the line.

const noLineStart = new Set([..."，。、；：？！）》」』】〕〉”’…—·,.;:?!)]}%％"]);
const noLineEnd = new Set([..."（《「『【〔〈“‘([{"]);
const latinRun = /^[A-Za-z0-9@#&*+\-_./:%'’"]+$/;

function units(paragraph: string): string[] {
  const result: string[] = [];
  for (const match of paragraph.matchAll(/[A-Za-z0-9@#&*+\-_./:%]+|\s|./gu)) result.push(match[0]);
  return result;
}

/** Normalises user text for drawing: CRLF to LF, tabs to spaces, other control characters removed. */
export function cleanText(text: string): string {
  let result = "";
  for (const char of text.replace(/\r\n?/g, "\n").replace(/\t/g, "  ")) {
    const codePoint = char.codePointAt(0)!;
    if (char === "\n" || (codePoint >= 0x20 && (codePoint < 0x7f || codePoint > 0x9f))) result += char;
  }
  return result;
}

/** Splits `text` into lines no wider than `maxWidth` at `size`; explicit newlines are kept. */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const widths = new Map<string, number>();
  const width = (unit: string) => {
    let w = widths.get(unit);
    if (w === undefined) {
      w = font.widthOfTextAtSize(unit, size);
      widths.set(unit, w);
    }
    return w;
  };
  const lines: string[] = [];
  for (const paragraph of cleanText(text).split("\n")) {
    let line: string[] = [];
    let lineWidth = 0;
    const flush = () => {
      while (line.length > 0 && line[line.length - 1] === " ") line.pop();
      lines.push(line.join(""));
      line = [];
      lineWidth = 0;
    };
    const queue = units(paragraph);
    for (let i = 0; i < queue.length; i++) {
      const unit = queue[i]!;
      const w = width(unit);
      if (lineWidth + w <= maxWidth || line.length === 0) {
        if (line.length === 0 && unit === " " && lines.length > 0) continue;
        if (w > maxWidth && latinRun.test(unit) && [...unit].length > 1) {
          // A Latin run longer than the whole line: break it per character.
          queue.splice(i, 1, ...unit);
          i--;
          continue;
        }
        line.push(unit);
        lineWidth += w;
        continue;
      }
      if (unit === " ") {
        flush();
        continue;
      }
      // Keep closing punctuation off the start of the next line by carrying the last character with it,
      // and opening punctuation off the end of this one.
      const carried: string[] = [];
      if (noLineStart.has(unit) && line.length > 1) carried.unshift(line.pop()!);
      while (line.length > 1 && noLineEnd.has(line[line.length - 1]!)) carried.unshift(line.pop()!);
      flush();
      for (const c of carried) {
        line.push(c);
        lineWidth += width(c);
      }
      i--;
    }
    flush();
  }
  return lines;
}
