// fontkit 2.x ships no type declarations; this names only what fonts.server.ts uses.
declare module "fontkit" {
  import type { Font, Glyph } from "pdf-lib/cjs/types/fontkit";

  /** fontkit 2 subsets encode synchronously to bytes (1.x and the @pdf-lib fork returned a stream). */
  export interface FontkitSubset {
    includeGlyph(glyph: number | Glyph): number;
    encode(): Uint8Array;
  }

  export type FontkitFont = Omit<Font, "createSubset"> & {
    createSubset(): FontkitSubset;
    hasGlyphForCodePoint(codePoint: number): boolean;
    getGlyph(glyphId: number): Glyph;
  };

  export function create(buffer: Uint8Array, postscriptName?: string): FontkitFont;
}
