// Content-stream interpreter (PDF 32000-1:2008, sections 8 and 9): runs the operators of a page
// with a graphics-state stack and reports every paint operation with its bounding box in default
// user space. It follows form XObjects, tiling patterns, Type3 glyph procedures and the normal
// appearance streams of printable annotations. Image pixels and font programs are never read.

import { isFormatError } from "../reader/errors";
import type { PdfDocument } from "../reader/document";
import { concatBytes } from "../reader/filters";
import { Lexer, NeedMoreBytesError } from "../reader/lexer";
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, dictOf, isName, nameValue, numberValue, type PdfObject } from "../reader/objects";
import { parseObject } from "../reader/parser";
import type { Box } from "../types";
import { ColourSpaceResolver, DEVICE_CMYK, DEVICE_GRAY, DEVICE_RGB, initialColour, type ColourSpace } from "./colour-space";
import { readContentChunks } from "./content-source";
import type { ContentEvent, PaintState } from "./events";
import { FontCache, type FontInfo } from "./font-info";
import { expandInlineKeys, findInlineImageEnd } from "./inline-image";
import { OptionalContent } from "./optional-content";
import { ResourceScope } from "./resources";
import { IDENTITY, minScale, multiply, readMatrix, transformPoint, transformRect, unionBox, type Matrix } from "./matrix";

/**
 * A long content stream is interpreted without other I/O, so the isolate
 * could not serve other requests meanwhile (in local workerd the queue
 * consumer shares one isolate with the pages). Every this many operators the
 * interpreter lets other work run.
 */
const YIELD_EVERY_OPERATORS = 10_000;

/** Waits for one turn of the event loop, so that pending requests get a chance to run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Forms, patterns, glyph procedures and appearance streams nested deeper than this are not followed. */
const MAX_DEPTH = 24;
const MAX_OPERANDS = 64;
/** Syntax errors tolerated per content stream before the rest of it is skipped. */
const MAX_SYNTAX_ERRORS = 100;
const MAX_GRAPHICS_STATE_DEPTH = 256;

interface GraphicsState {
  ctm: Matrix;
  fillSpace: ColourSpace;
  fillValues: number[];
  /** Name of the pattern when the fill colour space is Pattern. */
  fillPattern: string | undefined;
  strokeSpace: ColourSpace;
  strokeValues: number[];
  strokePattern: string | undefined;
  fillOverprint: boolean;
  strokeOverprint: boolean;
  overprintMode: number;
  fillAlpha: number;
  strokeAlpha: number;
  blendMode: string;
  hasSoftMask: boolean;
  lineWidth: number;
  font: FontInfo | undefined;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  horizontalScaling: number;
  leading: number;
  rise: number;
  renderMode: number;
  clip: Box | undefined;
}

/** One content stream being run: its resources and what it may change. */
interface Level {
  resources: ResourceScope;
  /** Matrix from pattern space to default user space: the CTM at the start of the page or form (PDF 32000-1:2008, section 8.7.3.1). */
  baseMatrix: Matrix;
  depth: number;
  /** Objects on the path from the page to this stream, against cycles. */
  path: Set<string>;
  /** Colour operators are ignored in uncoloured glyphs (d1) and uncoloured tiling patterns. */
  colourLocked: boolean;
  /** Whether this stream is a Type3 glyph procedure. */
  isGlyph?: boolean;
}

interface PathState {
  box: Box | undefined;
  /** Smallest rectangle side while the path consists of rectangles only; undefined otherwise. */
  rectangleThickness: number | undefined;
  onlyRectangles: boolean;
  current: [number, number];
  start: [number, number];
  pendingClip: boolean;
}

export interface PageContent {
  dict: PdfDict;
  resources: PdfObject | undefined;
  mediaBox: Box;
}

export interface InterpreterStats {
  /** Content streams or forms that could not be read or decoded. */
  unreadableStreams: number;
  operators: number;
}

export class ContentInterpreter {
  readonly stats: InterpreterStats = { unreadableStreams: 0, operators: 0 };
  private readonly colourSpaces: ColourSpaceResolver;
  private readonly fonts: FontCache;

  private emit: (event: ContentEvent) => void = () => {};
  /** Greater than 0 while the group of a soft mask runs. */
  private softMaskDepth = 0;
  private state!: GraphicsState;
  private stack: GraphicsState[] = [];
  private path!: PathState;
  private textMatrix: Matrix = IDENTITY;
  private lineMatrix: Matrix = IDENTITY;
  /** Patterns and glyphs already run on this page; each is reported once per page. */
  private visitedOnPage = new Set<string>();
  private readonly optionalContent: OptionalContent;
  /** One entry per open marked-content sequence: whether it hides its content (optional content that is off). */
  private markedContent: boolean[] = [];
  /** Greater than 0 inside hidden optional content, where nothing is reported. */
  private hiddenDepth = 0;

  constructor(private readonly document: PdfDocument) {
    this.colourSpaces = new ColourSpaceResolver(document);
    this.fonts = new FontCache(document);
    this.optionalContent = new OptionalContent(document);
  }

  /** Runs the page's content and its printable annotations, and reports each event to `onEvent`. */
  async runPage(page: PageContent, onEvent: (event: ContentEvent) => void): Promise<void> {
    this.emit = onEvent;
    this.visitedOnPage = new Set();
    this.markedContent = [];
    this.hiddenDepth = 0;
    this.state = initialState(page.mediaBox);
    this.stack = [];
    this.resetPath();

    const resources = await new ResourceScope(this.document, undefined, undefined).child(page.resources);
    await this.reportGroup(page.dict, page.mediaBox, resources);
    const level: Level = { resources, baseMatrix: IDENTITY, depth: 0, path: new Set(), colourLocked: false };

    const contents = await this.document.resolve(page.dict.get("Contents"));
    const parts = Array.isArray(contents) ? contents : [page.dict.get("Contents")];
    for (const part of parts) {
      await this.runStream(part, level);
    }

    await this.runAnnotations(page, level);
  }

  // ---- streams ----

  private async runStream(value: PdfObject | undefined, level: Level): Promise<void> {
    const stream = await this.document.resolve(value);
    if (!(stream instanceof PdfStream)) return;
    try {
      await this.runOperators(readContentChunks(this.document, stream, value), level);
    } catch (error) {
      if (!isFormatError(error)) throw error;
      this.stats.unreadableStreams++;
    }
  }

  /**
   * Runs the operators of decoded content that arrives in chunks. An operator whose operands
   * reach past the end of the data so far is parsed again once the next chunk has arrived.
   */
  private async runOperators(chunks: AsyncIterable<Uint8Array>, level: Level): Promise<void> {
    const iterator = chunks[Symbol.asyncIterator]();
    const operands: PdfObject[] = [];
    let buffer: Uint8Array = new Uint8Array(0);
    let atEnd = false;
    let syntaxErrors = 0;

    for (;;) {
      const lexer = new Lexer(buffer, 0, atEnd);
      let consumed = 0;
      let needMoreBytes = false;

      for (;;) {
        operands.length = 0;
        consumed = lexer.pos;
        let operator: string | undefined;
        try {
          operator = this.readOperator(lexer, operands);
          if (operator === "BI") needMoreBytes = !(await this.runInlineImage(lexer, level));
          else if (operator !== undefined) {
            // Most operators finish synchronously; awaiting only real promises keeps long streams fast.
            const pending = this.execute(operator, operands, level);
            if (pending) await pending;
          }
        } catch (error) {
          if (error instanceof NeedMoreBytesError && !atEnd) {
            needMoreBytes = true;
          } else if (isFormatError(error) && ++syntaxErrors <= MAX_SYNTAX_ERRORS) {
            lexer.pos++;
            continue;
          } else if (isFormatError(error)) {
            return;
          } else {
            throw error;
          }
        }
        if (needMoreBytes || operator === undefined) break;
        this.stats.operators++;
        if (this.stats.operators % YIELD_EVERY_OPERATORS === 0) await yieldToEventLoop();
      }

      if (!needMoreBytes) return;
      const next = await iterator.next();
      if (next.done) atEnd = true;
      buffer = next.done ? buffer.subarray(consumed) : concatBytes([buffer.subarray(consumed), next.value]);
    }
  }

  /** Collects operands up to the next operator and returns it, or undefined at the end of the data. */
  private readOperator(lexer: Lexer, operands: PdfObject[]): string | undefined {
    for (;;) {
      const start = lexer.pos;
      const token = lexer.nextToken();
      switch (token.type) {
        case "eof":
          return undefined;
        case "keyword":
          if (token.value === "true" || token.value === "false") operands.push(token.value === "true");
          else if (token.value === "null") operands.push(null);
          else return token.value;
          break;
        case "number":
          operands.push(token.value);
          break;
        case "name":
          operands.push(new PdfName(token.value));
          break;
        case "string":
          operands.push(new PdfString(token.value));
          break;
        case "delimiter":
          if (token.value === "[" || token.value === "<<") {
            lexer.pos = start;
            operands.push(parseObject(lexer));
          }
          break;
      }
      if (operands.length > MAX_OPERANDS) operands.shift();
    }
  }

  /** Runs one operator. Returns a promise only for operators that read objects or run nested content. */
  private execute(operator: string, operands: PdfObject[], level: Level): Promise<void> | undefined {
    const numbers = () => operands.map((item) => (typeof item === "number" ? item : 0));
    const n = (index: number) => {
      const value = operands[index];
      return typeof value === "number" && Number.isFinite(value) ? value : 0;
    };
    const state = this.state;

    switch (operator) {
      // Graphics state
      case "q":
        if (this.stack.length < MAX_GRAPHICS_STATE_DEPTH) this.stack.push(cloneState(state));
        return;
      case "Q":
        if (this.stack.length > 0) this.state = this.stack.pop() as GraphicsState;
        return;
      case "cm":
        if (operands.length === 6) state.ctm = multiply(numbers() as Matrix, state.ctm);
        return;
      case "w":
        state.lineWidth = n(0);
        return;
      case "gs":
        return this.applyExtGState(operands[0], level);

      // Path construction
      case "m":
        this.moveTo(n(0), n(1));
        return;
      case "l":
        this.lineTo(n(0), n(1));
        return;
      case "c":
        this.addPoint(n(0), n(1));
        this.addPoint(n(2), n(3));
        this.lineTo(n(4), n(5));
        return;
      case "v":
      case "y":
        this.addPoint(n(0), n(1));
        this.lineTo(n(2), n(3));
        return;
      case "h":
        this.path.current = this.path.start;
        return;
      case "re":
        this.rectangle(n(0), n(1), n(2), n(3));
        return;

      // Path painting
      case "S":
      case "s":
        return this.paintPath(false, true, level);
      case "f":
      case "F":
      case "f*":
        return this.paintPath(true, false, level);
      case "B":
      case "B*":
      case "b":
      case "b*":
        return this.paintPath(true, true, level);
      case "n":
        return this.paintPath(false, false, level);
      case "W":
      case "W*":
        this.path.pendingClip = true;
        return;

      // Colour
      case "CS":
      case "cs":
        return level.colourLocked ? undefined : this.setColourSpace(operator === "cs", operands[0], level);
      case "SC":
      case "SCN":
      case "sc":
      case "scn":
        if (!level.colourLocked) this.setColourValues(operator === "sc" || operator === "scn", operands);
        return;
      case "G":
      case "g":
        if (!level.colourLocked) this.setDeviceColour(operator === "g", DEVICE_GRAY, numbers());
        return;
      case "RG":
      case "rg":
        if (!level.colourLocked) this.setDeviceColour(operator === "rg", DEVICE_RGB, numbers());
        return;
      case "K":
      case "k":
        if (!level.colourLocked) this.setDeviceColour(operator === "k", DEVICE_CMYK, numbers());
        return;

      // Text
      case "BT":
        this.textMatrix = IDENTITY;
        this.lineMatrix = IDENTITY;
        return;
      case "Tc":
        state.charSpacing = n(0);
        return;
      case "Tw":
        state.wordSpacing = n(0);
        return;
      case "Tz":
        state.horizontalScaling = n(0) / 100;
        return;
      case "TL":
        state.leading = n(0);
        return;
      case "Ts":
        state.rise = n(0);
        return;
      case "Tr":
        state.renderMode = n(0);
        return;
      case "Tf":
        return this.setFont(operands[0], n(1), level);
      case "Td":
        this.moveText(n(0), n(1));
        return;
      case "TD":
        state.leading = -n(1);
        this.moveText(n(0), n(1));
        return;
      case "Tm":
        if (operands.length === 6) {
          this.textMatrix = numbers() as Matrix;
          this.lineMatrix = this.textMatrix;
        }
        return;
      case "T*":
        this.moveText(0, -state.leading);
        return;
      case "Tj":
        return this.showText([operands[0] ?? null], level);
      case "'":
        this.moveText(0, -state.leading);
        return this.showText([operands[0] ?? null], level);
      case '"':
        state.wordSpacing = n(0);
        state.charSpacing = n(1);
        this.moveText(0, -state.leading);
        return this.showText([operands[2] ?? null], level);
      case "TJ":
        return this.showText(Array.isArray(operands[0]) ? operands[0] : [], level);
      case "d1":
        // An uncoloured glyph takes the colour of the text that shows it.
        if (level.isGlyph) level.colourLocked = true;
        return;

      // XObjects, shadings
      case "Do":
        return this.drawXObject(operands[0], level);
      case "sh":
        return this.paintShadingOperator(operands[0], level);
      // Marked content: only optional content (/OC) changes what prints.
      case "BMC":
        this.markedContent.push(false);
        return;
      case "BDC":
        return this.beginMarkedContent(operands, level);
      case "EMC":
        if (this.markedContent.pop()) this.hiddenDepth--;
        return;
      default:
        // Operators without effect on what the checks measure: line style, marked points, compatibility sections.
        return;
    }
  }

  private report(event: ContentEvent): void {
    if (this.hiddenDepth > 0) return;
    if (this.softMaskDepth > 0) event.inSoftMask = true;
    this.emit(event);
  }

  private async beginMarkedContent(operands: PdfObject[], level: Level): Promise<void> {
    let hidden = false;
    if (nameValue(operands[0]) === "OC") {
      const propertyName = nameValue(operands[1]);
      const group = propertyName !== undefined ? await level.resources.lookup("Properties", propertyName) : operands[1];
      hidden = await this.optionalContent.isHidden(group);
    }
    this.markedContent.push(hidden);
    if (hidden) this.hiddenDepth++;
  }

  // ---- graphics state ----

  private async applyExtGState(nameOperand: PdfObject | undefined, level: Level): Promise<void> {
    const name = nameValue(nameOperand);
    if (name === undefined) return;
    const dict = dictOf(await this.document.resolve(await level.resources.lookup("ExtGState", name)));
    if (!dict) return;

    const state = this.state;
    const get = (key: string) => this.document.resolve(dict.get(key));
    const lineWidth = numberValue(await get("LW"));
    if (lineWidth !== undefined) state.lineWidth = lineWidth;

    const strokeOverprint = await get("OP");
    if (typeof strokeOverprint === "boolean") {
      state.strokeOverprint = strokeOverprint;
      // /OP also sets the fill overprint unless /op is given (PDF 32000-1:2008, table 58).
      if (!dict.has("op")) state.fillOverprint = strokeOverprint;
    }
    const fillOverprint = await get("op");
    if (typeof fillOverprint === "boolean") state.fillOverprint = fillOverprint;
    const overprintMode = numberValue(await get("OPM"));
    if (overprintMode !== undefined) state.overprintMode = overprintMode;

    const strokeAlpha = numberValue(await get("CA"));
    if (strokeAlpha !== undefined) state.strokeAlpha = strokeAlpha;
    const fillAlpha = numberValue(await get("ca"));
    if (fillAlpha !== undefined) state.fillAlpha = fillAlpha;

    const blendMode = await get("BM");
    const blendName = Array.isArray(blendMode) ? nameValue(blendMode[0]) : nameValue(blendMode);
    if (blendName !== undefined) state.blendMode = blendName === "Compatible" ? "Normal" : blendName;

    if (dict.has("SMask")) {
      const softMask = dictOf(await get("SMask"));
      state.hasSoftMask = softMask !== undefined;
      if (softMask) await this.runSoftMask(softMask, level);
    }

    const font = await get("Font");
    if (Array.isArray(font) && font.length >= 2) {
      const info = await this.fonts.load(font[0]);
      if (info) state.font = info;
      state.fontSize = numberValue(await this.document.resolve(font[1])) ?? state.fontSize;
    }
  }

  private async setColourSpace(fill: boolean, operand: PdfObject | undefined, level: Level): Promise<void> {
    const space = (await this.colourSpaces.resolve(operand, level.resources)) ?? DEVICE_GRAY;
    const values = initialColour(space);
    if (fill) {
      this.state.fillSpace = space;
      this.state.fillValues = values;
      this.state.fillPattern = undefined;
    } else {
      this.state.strokeSpace = space;
      this.state.strokeValues = values;
      this.state.strokePattern = undefined;
    }
  }

  private setColourValues(fill: boolean, operands: PdfObject[]): void {
    const values = operands.filter((item): item is number => typeof item === "number");
    const pattern = nameValue(operands.at(-1));
    if (fill) {
      this.state.fillValues = values;
      this.state.fillPattern = pattern;
    } else {
      this.state.strokeValues = values;
      this.state.strokePattern = pattern;
    }
  }

  private setDeviceColour(fill: boolean, space: ColourSpace, values: number[]): void {
    if (fill) {
      this.state.fillSpace = space;
      this.state.fillValues = values;
      this.state.fillPattern = undefined;
    } else {
      this.state.strokeSpace = space;
      this.state.strokeValues = values;
      this.state.strokePattern = undefined;
    }
  }

  // ---- paths ----

  private resetPath(): void {
    this.path = { box: undefined, rectangleThickness: undefined, onlyRectangles: true, current: [0, 0], start: [0, 0], pendingClip: false };
  }

  private addPoint(x: number, y: number): void {
    const [ux, uy] = transformPoint(this.state.ctm, x, y);
    this.path.box = unionBox(this.path.box, [ux, uy, ux, uy]);
  }

  private moveTo(x: number, y: number): void {
    this.addPoint(x, y);
    this.path.current = [x, y];
    this.path.start = [x, y];
  }

  private lineTo(x: number, y: number): void {
    this.addPoint(x, y);
    this.path.current = [x, y];
    this.path.onlyRectangles = false;
  }

  private rectangle(x: number, y: number, width: number, height: number): void {
    const ctm = this.state.ctm;
    this.path.box = unionBox(this.path.box, transformRect(ctm, x, y, x + width, y + height));
    const sideX = Math.abs(width) * Math.hypot(ctm[0], ctm[1]);
    const sideY = Math.abs(height) * Math.hypot(ctm[2], ctm[3]);
    const thickness = Math.min(sideX, sideY);
    this.path.rectangleThickness = Math.min(this.path.rectangleThickness ?? Infinity, thickness);
    this.path.current = [x, y];
    this.path.start = [x, y];
  }

  /** Reports the fill and stroke of the current path. Returns a promise only when a pattern must run. */
  private paintPath(fill: boolean, stroke: boolean, level: Level): Promise<void> | undefined {
    const path = this.path;
    const box = path.box;
    this.resetPath();
    if (!box) return undefined;

    const state = this.state;
    if (path.pendingClip) state.clip = state.clip ? intersectBox(state.clip, box) : box;
    const fillSnapshot = snapshot(state);
    if (fill) {
      const thickness = path.onlyRectangles ? path.rectangleThickness : undefined;
      this.report({ kind: "fill", box, state: fillSnapshot, rectangleThickness: thickness });
    }

    const lineWidth = state.lineWidth * minScale(state.ctm);
    const strokeBox: Box = [box[0] - lineWidth / 2, box[1] - lineWidth / 2, box[2] + lineWidth / 2, box[3] + lineWidth / 2];
    if (stroke) this.report({ kind: "stroke", box: strokeBox, state: fillSnapshot, lineWidth });

    const fillPattern = fill ? state.fillPattern : undefined;
    const strokePattern = stroke ? state.strokePattern : undefined;
    if (fillPattern === undefined && strokePattern === undefined) return undefined;
    return (async () => {
      if (fillPattern !== undefined) await this.paintPattern(fillPattern, box, false, level);
      if (strokePattern !== undefined) await this.paintPattern(strokePattern, strokeBox, true, level);
    })();
  }


  // ---- text ----

  private async setFont(nameOperand: PdfObject | undefined, size: number, level: Level): Promise<void> {
    this.state.fontSize = size;
    const name = nameValue(nameOperand);
    if (name === undefined) return;
    this.state.font = await this.fonts.load(await level.resources.lookup("Font", name));
  }

  private moveText(tx: number, ty: number): void {
    this.lineMatrix = multiply([1, 0, 0, 1, tx, ty], this.lineMatrix);
    this.textMatrix = this.lineMatrix;
  }

  /**
   * Shows strings and TJ adjustments, advances the text matrix and reports one text event.
   * Returns a promise only when patterns or Type3 glyph procedures must run.
   */
  private showText(items: PdfObject[], level: Level): Promise<void> | undefined {
    const state = this.state;
    const font = state.font;
    const size = state.fontSize;
    const scaling = state.horizontalScaling;
    const startMatrix = this.textMatrix;
    let advance = 0;
    const glyphs: { code: number; x: number }[] = [];

    for (const item of items) {
      if (typeof item === "number") {
        advance -= (item / 1000) * size * scaling;
        continue;
      }
      if (!(item instanceof PdfString)) continue;
      const bytes = item.bytes;
      const step = font?.twoByteCodes ? 2 : 1;
      for (let i = 0; i + step <= bytes.length; i += step) {
        const code = step === 2 ? bytes[i] * 256 + bytes[i + 1] : bytes[i];
        if (font?.type3) glyphs.push({ code, x: advance });
        const width = font ? font.advance(code) : 0.5;
        const wordSpace = step === 1 && code === 32 ? state.wordSpacing : 0;
        advance += (width * size + state.charSpacing + wordSpace) * scaling;
      }
    }
    this.textMatrix = multiply([1, 0, 0, 1, advance, 0], startMatrix);

    const textToUser = multiply(startMatrix, state.ctm);
    const fontSize = Math.abs(size) * Math.hypot(textToUser[2], textToUser[3]);
    const ascent = state.rise + 0.85 * Math.abs(size);
    const descent = state.rise - 0.25 * Math.abs(size);
    const box = transformRect(textToUser, Math.min(0, advance), descent, Math.max(0, advance), ascent);
    const visible = state.renderMode !== 3 && state.renderMode !== 7;
    if (visible && glyphs.length + countStrings(items) > 0) {
      this.report({ kind: "text", box, state: snapshot(state), fontSize, renderMode: state.renderMode, fontName: font?.name ?? "" });
    }

    // Text filled or stroked with a pattern paints the pattern's content inside the glyphs.
    const fillPattern = visible && textFills(state.renderMode) ? state.fillPattern : undefined;
    const strokePattern = visible && textStrokes(state.renderMode) ? state.strokePattern : undefined;
    const type3Glyphs = font?.type3 && visible ? glyphs : [];
    if (fillPattern === undefined && strokePattern === undefined && type3Glyphs.length === 0) return undefined;

    return (async () => {
      if (fillPattern !== undefined) await this.paintPattern(fillPattern, box, false, level);
      if (strokePattern !== undefined) await this.paintPattern(strokePattern, box, true, level);
      for (const glyph of type3Glyphs) {
        await this.runType3Glyph(font as FontInfo, glyph.code, multiply([1, 0, 0, 1, glyph.x, 0], textToUser), level);
      }
    })();
  }

  private async runType3Glyph(font: FontInfo, code: number, textToUser: Matrix, level: Level): Promise<void> {
    const type3 = font.type3;
    if (!type3 || level.depth >= MAX_DEPTH) return;
    const glyphName = type3.glyphNames.get(code);
    if (glyphName === undefined) return;
    const key = `glyph ${font.key} ${glyphName}`;
    if (this.visitedOnPage.has(key) || level.path.has(key)) return;
    this.visitedOnPage.add(key);

    const procedure = type3.charProcs?.get(glyphName);
    const state = this.state;
    const glyphToText: Matrix = multiply(type3.fontMatrix, [state.fontSize * state.horizontalScaling, 0, 0, state.fontSize, 0, state.rise]);
    const resources = await level.resources.child(type3.resources);
    const savedText = [this.textMatrix, this.lineMatrix] as const;

    await this.withSavedState(multiply(glyphToText, textToUser), async (ctm) => {
      const path = new Set(level.path).add(key);
      await this.runStream(procedure, { resources, baseMatrix: ctm, depth: level.depth + 1, path, colourLocked: level.colourLocked, isGlyph: true });
    });
    [this.textMatrix, this.lineMatrix] = savedText;
  }

  /**
   * Runs the group of a soft mask once per page, in the CTM at the time the mask is set
   * (PDF 32000-1:2008, section 11.6.5.2), so that images inside it are measured too.
   */
  private async runSoftMask(softMask: PdfDict, level: Level): Promise<void> {
    const groupValue = softMask.get("G");
    const group = await this.document.resolve(groupValue);
    if (!(group instanceof PdfStream)) return;
    const key = groupValue instanceof PdfRef ? `soft mask ${groupValue.key}` : undefined;
    if (key !== undefined) {
      if (this.visitedOnPage.has(key)) return;
      this.visitedOnPage.add(key);
    }

    this.softMaskDepth++;
    try {
      await this.runForm(groupValue, group, this.state.ctm, level);
    } finally {
      this.softMaskDepth--;
    }
  }

  // ---- XObjects, patterns, shadings ----

  private async drawXObject(nameOperand: PdfObject | undefined, level: Level): Promise<void> {
    const name = nameValue(nameOperand);
    if (name === undefined) return;
    const value = await level.resources.lookup("XObject", name);
    const xobject = await this.document.resolve(value);
    if (!(xobject instanceof PdfStream)) return;

    if (xobject.dict.has("OC") && (await this.optionalContent.isHidden(xobject.dict.get("OC")))) return;
    const subtype = nameValue(await this.document.resolve(xobject.dict.get("Subtype")));
    if (subtype === "Image") await this.reportImage(xobject.dict, false, level);
    else if (subtype === "Form") await this.runForm(value, xobject, this.state.ctm, level);
  }

  /** Runs a form XObject with its /Matrix on top of `ctm`, its own resources falling back to the parent's. */
  private async runForm(value: PdfObject | undefined, form: PdfStream, ctm: Matrix, level: Level): Promise<void> {
    const key = value instanceof PdfRef ? value.key : undefined;
    if (level.depth >= MAX_DEPTH || (key !== undefined && level.path.has(key))) return;
    if (form.dict.has("OC") && (await this.optionalContent.isHidden(form.dict.get("OC")))) return;

    const formMatrix = readMatrix(await this.resolveNumbers(form.dict.get("Matrix"))) ?? IDENTITY;
    const formResources = await level.resources.child(form.dict.get("Resources"));
    const bbox = readBox(await this.resolveNumbers(form.dict.get("BBox")));

    await this.withSavedState(multiply(formMatrix, ctm), async (formCtm) => {
      if (bbox) {
        const clip = transformRect(formCtm, bbox[0], bbox[1], bbox[2], bbox[3]);
        this.state.clip = this.state.clip ? intersectBox(this.state.clip, clip) : clip;
        await this.reportGroup(form.dict, clip, formResources);
      }
      const path = new Set(level.path);
      if (key !== undefined) path.add(key);
      await this.runStream(value, { resources: formResources, baseMatrix: formCtm, depth: level.depth + 1, path, colourLocked: level.colourLocked });
    });
  }

  private async paintPattern(name: string, box: Box, stroke: boolean, level: Level): Promise<void> {
    const value = await level.resources.lookup("Pattern", name);
    const pattern = await this.document.resolve(value);
    const dict = dictOf(pattern);
    if (!dict) return;

    const matrix = multiply(readMatrix(await this.resolveNumbers(dict.get("Matrix"))) ?? IDENTITY, level.baseMatrix);
    const patternType = numberValue(await this.document.resolve(dict.get("PatternType")));
    if (patternType === 2) {
      const shading = dictOf(await this.document.resolve(dict.get("Shading")));
      const colourSpace = await this.colourSpaces.resolve(shading?.get("ColorSpace"), level.resources);
      this.report({ kind: "shading", box, state: snapshot(this.state), colourSpace });
      return;
    }
    if (patternType !== 1 || !(pattern instanceof PdfStream)) return;

    const key = value instanceof PdfRef ? `pattern ${value.key}` : undefined;
    if (level.depth >= MAX_DEPTH || (key !== undefined && (this.visitedOnPage.has(key) || level.path.has(key)))) return;
    if (key !== undefined) this.visitedOnPage.add(key);

    // An uncoloured tiling pattern (PaintType 2) paints in the colour given with scn in the pattern's base space.
    const uncoloured = numberValue(await this.document.resolve(dict.get("PaintType"))) === 2;
    const patternSpace = stroke ? this.state.strokeSpace : this.state.fillSpace;
    const patternValues = stroke ? this.state.strokeValues : this.state.fillValues;
    const resources = await level.resources.child(dict.get("Resources"));

    await this.withSavedState(matrix, async (ctm) => {
      if (uncoloured && patternSpace.base) {
        this.setDeviceColour(true, patternSpace.base, patternValues);
        this.setDeviceColour(false, patternSpace.base, patternValues);
      }
      const path = new Set(level.path);
      if (key !== undefined) path.add(key);
      await this.runStream(value, { resources, baseMatrix: ctm, depth: level.depth + 1, path, colourLocked: uncoloured });
    });
  }

  private async paintShadingOperator(nameOperand: PdfObject | undefined, level: Level): Promise<void> {
    const name = nameValue(nameOperand);
    if (name === undefined) return;
    const shading = dictOf(await this.document.resolve(await level.resources.lookup("Shading", name)));
    if (!shading) return;

    const colourSpace = await this.colourSpaces.resolve(shading.get("ColorSpace"), level.resources);
    const bbox = readBox(await this.resolveNumbers(shading.get("BBox")));
    const ctm = this.state.ctm;
    // Without /BBox a shading fills the clipping area.
    const box = bbox ? transformRect(ctm, bbox[0], bbox[1], bbox[2], bbox[3]) : this.state.clip;
    if (box) this.report({ kind: "shading", box, state: snapshot(this.state), colourSpace });
  }

  private async reportImage(dict: PdfDict, inline: boolean, level: Level): Promise<void> {
    const get = (key: string) => this.document.resolve(dict.get(key));
    const width = numberValue(await get("Width")) ?? 0;
    const height = numberValue(await get("Height")) ?? 0;
    const imageMask = (await get("ImageMask")) === true;
    const bitsPerComponent = imageMask ? 1 : (numberValue(await get("BitsPerComponent")) ?? 8);
    const colourSpace = imageMask ? undefined : await this.colourSpaces.resolve(dict.get("ColorSpace"), level.resources);

    const ctm = this.state.ctm;
    const box = transformRect(ctm, 0, 0, 1, 1);
    // The image's unit square maps to user space through the CTM: one pixel column is the
    // transformed x axis divided by the width (PDF 32000-1:2008, section 8.9.4).
    const ppiX = (72 * width) / Math.hypot(ctm[0], ctm[1]);
    const ppiY = (72 * height) / Math.hypot(ctm[2], ctm[3]);
    this.report({ kind: "image", box, state: snapshot(this.state), width, height, bitsPerComponent, imageMask, colourSpace, inline, ppiX, ppiY });
  }

  /** Skips an inline image and reports it. Returns false when its data reaches past the bytes decoded so far. */
  private async runInlineImage(lexer: Lexer, level: Level): Promise<boolean> {
    const dict = new PdfDict();
    for (;;) {
      const start = lexer.pos;
      const token = lexer.nextToken();
      if (token.type === "eof") return true;
      if (token.type === "keyword" && token.value === "ID") break;
      if (token.type !== "name") continue;
      const valueStart = lexer.pos;
      const next = lexer.nextToken();
      if (next.type === "keyword" && next.value === "ID") {
        lexer.pos = valueStart;
        continue;
      }
      lexer.pos = valueStart;
      dict.entries.set(token.value, parseObject(lexer));
      if (lexer.pos <= start) return true;
    }

    // A single whitespace byte separates "ID" from the data.
    const dataStart = lexer.pos + 1;
    const expanded = expandInlineKeys(dict);
    const imageMask = expanded.get("ImageMask") === true;
    const space = imageMask ? undefined : await this.colourSpaces.resolve(expanded.get("ColorSpace"), level.resources);
    const end = findInlineImageEnd(lexer.bytes, dataStart, expanded, space?.components, lexer.atEndOfFile);
    if (end === undefined) return false;
    lexer.pos = end;
    await this.reportImage(expanded, true, level);
    return true;
  }

  /** Reports the colour space of a transparency group (PDF 32000-1:2008, section 11.6.6). */
  private async reportGroup(dict: PdfDict, box: Box, resources: ResourceScope): Promise<void> {
    const group = dictOf(await this.document.resolve(dict.get("Group")));
    if (!group || !isName(await this.document.resolve(group.get("S")), "Transparency")) return;
    const colourSpace = group.has("CS") ? await this.colourSpaces.resolve(group.get("CS"), resources) : undefined;
    this.report({ kind: "group", box, colourSpace });
  }

  // ---- annotations ----

  /** Runs the normal appearance of each annotation that is printed and not hidden (PDF 32000-1:2008, section 12.5.5). */
  private async runAnnotations(page: PageContent, level: Level): Promise<void> {
    const annotations = await this.document.resolve(page.dict.get("Annots"));
    if (!Array.isArray(annotations)) return;

    for (const annotationValue of annotations) {
      const annotation = dictOf(await this.document.resolve(annotationValue));
      if (!annotation) continue;
      const flags = numberValue(await this.document.resolve(annotation.get("F"))) ?? 0;
      const printable = (flags & 4) !== 0 && (flags & 2) === 0;
      if (!printable || (annotation.has("OC") && (await this.optionalContent.isHidden(annotation.get("OC"))))) continue;

      const appearanceValue = await this.findNormalAppearance(annotation);
      const appearance = await this.document.resolve(appearanceValue);
      const rect = readBox(await this.resolveNumbers(annotation.get("Rect")));
      if (!(appearance instanceof PdfStream) || !rect) continue;

      const bbox = readBox(await this.resolveNumbers(appearance.dict.get("BBox")));
      const formMatrix = readMatrix(await this.resolveNumbers(appearance.dict.get("Matrix"))) ?? IDENTITY;
      if (!bbox) continue;
      // Algorithm 8.1: the form's bounding box, transformed by its matrix, is mapped onto /Rect.
      const transformed = transformRect(formMatrix, bbox[0], bbox[1], bbox[2], bbox[3]);
      const scaleX = (rect[2] - rect[0]) / (transformed[2] - transformed[0] || 1);
      const scaleY = (rect[3] - rect[1]) / (transformed[3] - transformed[1] || 1);
      const toRect: Matrix = [scaleX, 0, 0, scaleY, rect[0] - transformed[0] * scaleX, rect[1] - transformed[1] * scaleY];

      this.state = initialState(rect);
      this.stack = [];
      await this.runForm(appearanceValue, appearance, toRect, level);
    }
  }

  private async findNormalAppearance(annotation: PdfDict): Promise<PdfObject | undefined> {
    const appearances = dictOf(await this.document.resolve(annotation.get("AP")));
    const normal = appearances?.get("N");
    const resolved = await this.document.resolve(normal);
    if (resolved instanceof PdfStream) return normal;

    // A dictionary of appearance states: /AS selects one.
    const states = dictOf(resolved);
    const stateName = nameValue(await this.document.resolve(annotation.get("AS")));
    return stateName !== undefined ? states?.get(stateName) : undefined;
  }

  // ---- helpers ----

  /**
   * Runs `body` with a copy of the graphics state whose CTM is `ctm` and an empty state stack, so
   * that unbalanced q and Q in nested content cannot change the caller's state. Restores both after.
   */
  private async withSavedState(ctm: Matrix, body: (ctm: Matrix) => Promise<void>): Promise<void> {
    const saved = this.state;
    const savedStack = this.stack;
    const savedPath = this.path;
    const savedMarkedContent = this.markedContent;
    const savedHiddenDepth = this.hiddenDepth;
    this.state = cloneState(saved);
    this.markedContent = [];
    this.state.ctm = ctm;
    this.stack = [];
    this.resetPath();
    try {
      await body(ctm);
    } finally {
      this.state = saved;
      this.stack = savedStack;
      this.path = savedPath;
      this.markedContent = savedMarkedContent;
      this.hiddenDepth = savedHiddenDepth;
    }
  }

  private async resolveNumbers(value: PdfObject | undefined): Promise<PdfObject[] | undefined> {
    const array = await this.document.resolve(value);
    if (!Array.isArray(array)) return undefined;
    const items: PdfObject[] = [];
    for (const item of array) items.push((await this.document.resolve(item)) ?? null);
    return items;
  }
}

function initialState(clip: Box): GraphicsState {
  return {
    ctm: IDENTITY,
    fillSpace: DEVICE_GRAY,
    fillValues: [0],
    fillPattern: undefined,
    strokeSpace: DEVICE_GRAY,
    strokeValues: [0],
    strokePattern: undefined,
    fillOverprint: false,
    strokeOverprint: false,
    overprintMode: 0,
    fillAlpha: 1,
    strokeAlpha: 1,
    blendMode: "Normal",
    hasSoftMask: false,
    lineWidth: 1,
    font: undefined,
    fontSize: 0,
    charSpacing: 0,
    wordSpacing: 0,
    horizontalScaling: 1,
    leading: 0,
    rise: 0,
    renderMode: 0,
    clip,
  };
}

function cloneState(state: GraphicsState): GraphicsState {
  return { ...state };
}

function snapshot(state: GraphicsState): PaintState {
  return {
    fillSpace: state.fillSpace,
    fillValues: state.fillValues,
    strokeSpace: state.strokeSpace,
    strokeValues: state.strokeValues,
    fillOverprint: state.fillOverprint,
    strokeOverprint: state.strokeOverprint,
    overprintMode: state.overprintMode,
    fillAlpha: state.fillAlpha,
    strokeAlpha: state.strokeAlpha,
    blendMode: state.blendMode,
    hasSoftMask: state.hasSoftMask,
  };
}

function readBox(numbers: PdfObject[] | undefined): Box | undefined {
  if (!numbers || numbers.length < 4) return undefined;
  const [a, b, c, d] = numbers;
  if (typeof a !== "number" || typeof b !== "number" || typeof c !== "number" || typeof d !== "number") return undefined;
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

function intersectBox(a: Box, b: Box): Box {
  const box: Box = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  if (box[2] < box[0]) box[2] = box[0];
  if (box[3] < box[1]) box[3] = box[1];
  return box;
}

/** Text render modes 0, 2, 4 and 6 fill the glyphs (PDF 32000-1:2008, table 106). */
function textFills(renderMode: number): boolean {
  return renderMode === 0 || renderMode === 2 || renderMode === 4 || renderMode === 6;
}

/** Text render modes 1, 2, 5 and 6 stroke the glyph outlines. */
function textStrokes(renderMode: number): boolean {
  return renderMode === 1 || renderMode === 2 || renderMode === 5 || renderMode === 6;
}

function countStrings(items: PdfObject[]): number {
  return items.filter((item) => item instanceof PdfString && item.bytes.length > 0).length;
}

