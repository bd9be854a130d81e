import { type Color, grayscale, type PDFDocument, type PDFFont, type PDFPage } from "pdf-lib";
import { cleanText, type DocumentFonts, wrapText } from "./fonts.server";

/** A4 portrait in PDF points, with the margins of a printed government form (about 2 cm / 2.5 cm). */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const MARGIN_X = 56.7;
const MARGIN_TOP = 70;
const MARGIN_BOTTOM = 68;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

const INK = grayscale(0);
const MUTED = grayscale(0.35);
const RULE = grayscale(0.15);
const SHADE = grayscale(0.92);
const GUIDE = grayscale(0.7);
const RULE_WIDTH = 0.6;
const CELL_PAD_X = 5;
const CELL_PAD_Y = 4;

export interface Cell {
  text: string;
  /** How many columns the cell covers (default 1). */
  span?: number;
  /** A label cell: lightly shaded, bold, centred, repeated with “（续）” when its row continues on a page. */
  label?: boolean;
  align?: "left" | "center";
}

export interface Row {
  cells: Cell[];
  minHeight?: number;
}

interface LaidCell {
  cell: Cell;
  x: number;
  width: number;
  lines: string[];
}

/** Spreads a wrapped all-Han label evenly over its lines (“专业技术/工作经历”, not “专业技术工作经/历”). */
function balanced(text: string, lines: string[]): string[] {
  const chars = [...text];
  if (lines.length < 2 || !/^[\u3400-\u9fff]+$/u.test(text)) return lines;
  const per = Math.ceil(chars.length / lines.length);
  const result: string[] = [];
  for (let i = 0; i < chars.length; i += per) result.push(chars.slice(i, i + per).join(""));
  return result;
}

/** Where the next thing goes: adds pages as content runs past the bottom margin. */
export class Flow {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: DocumentFonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.pages.push(this.page);
    this.y = PAGE_HEIGHT - MARGIN_TOP;
  }

  get remaining(): number {
    return this.y - MARGIN_BOTTOM;
  }

  private get atTop(): boolean {
    return this.y >= PAGE_HEIGHT - MARGIN_TOP - 0.01;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (height > this.remaining && !this.atTop) this.newPage();
  }

  gap(height: number): void {
    this.y -= height;
    if (this.remaining < 0) this.newPage();
  }

  /** Draws one line of text whose line box starts at `top`; CJK glyphs sit centred in the box. */
  text(
    text: string,
    x: number,
    top: number,
    size: number,
    options: { font?: PDFFont; color?: Color; lineHeight?: number } = {},
  ): void {
    const lineHeight = options.lineHeight ?? size * 1.5;
    const baseline = top - lineHeight / 2 - size * 0.36;
    if (text.trim() === "") return;
    this.page.drawText(text, {
      x,
      y: baseline,
      size,
      font: options.font ?? this.fonts.regular,
      color: options.color ?? INK,
    });
  }

  width(text: string, size: number, bold = false): number {
    return (bold ? this.fonts.bold : this.fonts.regular).widthOfTextAtSize(text, size);
  }

  /** A centred bold title, wrapped if it is longer than the line. */
  title(text: string, size = 18, after = size): void {
    const lineHeight = size * 1.5;
    const lines = wrapText(text, this.fonts.bold, size, CONTENT_WIDTH - 2 * size);
    this.ensure(lines.length * lineHeight);
    for (const line of lines) {
      const w = this.width(line, size, true);
      this.text(line, MARGIN_X + (CONTENT_WIDTH - w) / 2, this.y, size, {
        font: this.fonts.bold,
        lineHeight,
      });
      this.y -= lineHeight;
    }
    this.gap(after);
  }

  /**
   * A body paragraph: first line indented by two characters and lines justified to both margins, as in a
   * printed official letter. The last line of the paragraph stays left-aligned.
   */
  paragraph(
    text: string,
    options: { size?: number; lineHeight?: number; indent?: boolean; justify?: boolean; bold?: boolean } = {},
  ): void {
    const size = options.size ?? 12;
    const lineHeight = options.lineHeight ?? size * 1.9;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const source = (options.indent ?? true) ? `\u3000\u3000${cleanText(text).trim()}` : cleanText(text);
    const lines = wrapText(source, font, size, CONTENT_WIDTH);
    lines.forEach((line, index) => {
      this.ensure(lineHeight);
      const last = index === lines.length - 1;
      if ((options.justify ?? true) && !last) this.justified(line, size, font, lineHeight);
      else this.text(line, MARGIN_X, this.y, size, { font, lineHeight });
      this.y -= lineHeight;
    });
  }

  private justified(line: string, size: number, font: PDFFont, lineHeight: number): void {
    const chars = [...line];
    const natural = font.widthOfTextAtSize(line, size);
    const slack = CONTENT_WIDTH - natural;
    // A line ending in a hard break or far too short is not stretched.
    if (chars.length < 2 || slack <= 0 || slack > size * 3) {
      this.text(line, MARGIN_X, this.y, size, { font, lineHeight });
      return;
    }
    const step = slack / (chars.length - 1);
    let x = MARGIN_X;
    for (const char of chars) {
      this.text(char, x, this.y, size, { font, lineHeight });
      x += font.widthOfTextAtSize(char, size) + step;
    }
  }

  /** A line with text at the left and/or the right margin (for form headers and signature lines). */
  splitLine(left: string, right: string, size = 10.5, options: { bold?: boolean; color?: Color } = {}): void {
    const lineHeight = size * 1.6;
    this.ensure(lineHeight);
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const color = options.color ?? INK;
    if (left) this.text(left, MARGIN_X, this.y, size, { font, color, lineHeight });
    if (right) {
      const w = font.widthOfTextAtSize(right, size);
      this.text(right, MARGIN_X + CONTENT_WIDTH - w, this.y, size, { font, color, lineHeight });
    }
    this.y -= lineHeight;
  }

  /**
   * A ruled table. `columns` are widths in points summing to the content width. A row taller than what is
   * left of the page is split line by line onto the next page (its label repeated with “（续）”), so long
   * free-text answers flow on instead of being cut off.
   */
  table(columns: number[], rows: Row[], size = 10.5): void {
    const lineHeight = size * 1.55;
    for (const row of rows) {
      const laid = this.layoutRow(columns, row, size);
      const total = Math.max(...laid.map((c) => c.lines.length));
      let offset = 0;
      while (true) {
        const left = total - offset;
        const height = Math.max(offset === 0 ? (row.minHeight ?? 0) : 0, left * lineHeight + 2 * CELL_PAD_Y);
        if (height <= this.remaining + 0.01) {
          this.drawRowPart(laid, offset, left, height, size, lineHeight);
          this.y -= height;
          break;
        }
        const fit = Math.floor((this.remaining - 2 * CELL_PAD_Y) / lineHeight);
        if (fit >= left) {
          // Only the minimum height is too tall: move on, or shrink it on an empty page.
          if (!this.atTop) {
            this.newPage();
            continue;
          }
          this.drawRowPart(laid, offset, left, this.remaining, size, lineHeight);
          this.y -= this.remaining;
          break;
        }
        // Split long text when at least three lines fit here (or the row is taller than a whole page).
        if (fit >= 3 || (this.atTop && fit >= 1)) {
          this.drawRowPart(laid, offset, fit, fit * lineHeight + 2 * CELL_PAD_Y, size, lineHeight);
          offset += fit;
        }
        this.newPage();
      }
    }
  }

  private layoutRow(columns: number[], row: Row, size: number): LaidCell[] {
    let column = 0;
    let x = MARGIN_X;
    return row.cells.map((cell) => {
      const span = cell.span ?? 1;
      const width = columns.slice(column, column + span).reduce((a, b) => a + b, 0);
      column += span;
      const font = cell.label ? this.fonts.bold : this.fonts.regular;
      let lines = wrapText(cell.text, font, size, width - 2 * CELL_PAD_X);
      if (cell.label) lines = balanced(cell.text, lines);
      const laid = { cell, x, width, lines };
      x += width;
      return laid;
    });
  }

  private drawRowPart(
    cells: LaidCell[],
    offset: number,
    count: number,
    height: number,
    size: number,
    lineHeight: number,
  ): void {
    const bottom = this.y - height;
    for (const { cell, x, width, lines } of cells) {
      this.page.drawRectangle({
        x,
        y: bottom,
        width,
        height,
        color: cell.label ? SHADE : undefined,
        borderColor: RULE,
        borderWidth: RULE_WIDTH,
      });
      const font = cell.label ? this.fonts.bold : this.fonts.regular;
      let shown: string[];
      if (offset === 0) shown = lines.slice(0, count);
      else if (cell.label) shown = wrapText(`${cell.text}（续）`, font, size, width - 2 * CELL_PAD_X);
      else shown = lines.slice(offset, offset + count);
      const top = this.y - (height - shown.length * lineHeight) / 2;
      shown.forEach((line, index) => {
        const lineX =
          cell.label || cell.align === "center"
            ? x + (width - font.widthOfTextAtSize(line, size)) / 2
            : x + CELL_PAD_X;
        this.text(line, lineX, top - index * lineHeight, size, { font, lineHeight });
      });
    }
  }

  /**
   * A bordered box kept on one page: a shaded label cell on the left and an area the caller draws into
   * (opinion lines, stamp and date).
   */
  box(
    label: string,
    labelWidth: number,
    height: number,
    draw: (area: { x: number; top: number; width: number; height: number }) => void,
    size = 10.5,
  ): void {
    this.ensure(height);
    const bottom = this.y - height;
    this.page.drawRectangle({
      x: MARGIN_X,
      y: bottom,
      width: labelWidth,
      height,
      color: SHADE,
      borderColor: RULE,
      borderWidth: RULE_WIDTH,
    });
    this.page.drawRectangle({
      x: MARGIN_X + labelWidth,
      y: bottom,
      width: CONTENT_WIDTH - labelWidth,
      height,
      color: undefined,
      borderColor: RULE,
      borderWidth: RULE_WIDTH,
    });
    const lineHeight = size * 1.55;
    const lines = wrapText(label, this.fonts.bold, size, labelWidth - 2 * CELL_PAD_X);
    const top = this.y - (height - lines.length * lineHeight) / 2;
    lines.forEach((line, index) => {
      const w = this.width(line, size, true);
      this.text(line, MARGIN_X + (labelWidth - w) / 2, top - index * lineHeight, size, {
        font: this.fonts.bold,
        lineHeight,
      });
    });
    draw({ x: MARGIN_X + labelWidth, top: this.y, width: CONTENT_WIDTH - labelWidth, height });
    this.y = bottom;
  }

  /** A light guide line for handwriting. */
  guide(x1: number, x2: number, y: number): void {
    this.page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness: 0.4, color: GUIDE });
  }

  /** Text right-aligned to `right`, its line box starting at `top`. */
  textRight(text: string, right: number, top: number, size: number, bold = false): void {
    const font = bold ? this.fonts.bold : this.fonts.regular;
    this.text(text, right - font.widthOfTextAtSize(text, size), top, size, { font });
  }

  /** Page numbers “第 n 页 共 m 页” centred in the bottom margin, and an optional note at the left. */
  finish(note?: string): void {
    const size = 9;
    const total = this.pages.length;
    this.pages.forEach((page, index) => {
      const label = `第 ${index + 1} 页　共 ${total} 页`;
      const w = this.fonts.regular.widthOfTextAtSize(label, size);
      page.drawText(label, {
        x: (PAGE_WIDTH - w) / 2,
        y: MARGIN_BOTTOM / 2 - 3,
        size,
        font: this.fonts.regular,
        color: MUTED,
      });
      if (note) {
        page.drawText(note, {
          x: MARGIN_X,
          y: MARGIN_BOTTOM / 2 - 3,
          size,
          font: this.fonts.regular,
          color: MUTED,
        });
      }
    });
  }
}

export { MUTED };
