// Paint events that the content-stream interpreter reports to the checks.

import type { Box } from "../types";
import type { ColourSpace } from "./colour-space";

/** The parts of the graphics state that the checks read, copied at the time of painting. */
export interface PaintState {
  fillSpace: ColourSpace;
  fillValues: number[];
  strokeSpace: ColourSpace;
  strokeValues: number[];
  /** Overprint for filling (/op) and stroking (/OP). */
  fillOverprint: boolean;
  strokeOverprint: boolean;
  /** Overprint mode /OPM: 1 keeps the inks under DeviceCMYK components of 0. */
  overprintMode: number;
  fillAlpha: number;
  strokeAlpha: number;
  blendMode: string;
  hasSoftMask: boolean;
}

interface EventBase {
  /** Bounding box in default user space of the page. */
  box: Box;
  state: PaintState;
  /** Painted inside the group of a soft mask: it shapes transparency and prints no ink of its own. */
  inSoftMask?: boolean;
}

export interface FillEvent extends EventBase {
  kind: "fill";
  /** When the path consists of rectangles only: the smallest side of any of them in user space (pt). */
  rectangleThickness?: number;
}

export interface StrokeEvent extends EventBase {
  kind: "stroke";
  /** Line width in user space (pt), the thinnest across all directions; 0 is the thinnest line a device can draw. */
  lineWidth: number;
}

export interface TextEvent extends EventBase {
  kind: "text";
  /** Font size in user space (pt), including the text matrix and the current transformation matrix. */
  fontSize: number;
  /** Text render mode 0 to 7 (PDF 32000-1:2008, table 106); 3 and 7 paint nothing. */
  renderMode: number;
  fontName: string;
}

export interface ImageEvent extends EventBase {
  kind: "image";
  width: number;
  height: number;
  bitsPerComponent: number;
  imageMask: boolean;
  /** Undefined for image masks and for JPEG 2000 images that carry their own colour space. */
  colourSpace: ColourSpace | undefined;
  inline: boolean;
  /** Pixels per inch along the image's horizontal and vertical axes, as placed on the page. */
  ppiX: number;
  ppiY: number;
}

export interface ShadingEvent extends EventBase {
  kind: "shading";
  colourSpace: ColourSpace | undefined;
}

/** A transparency group of a page or form XObject; it paints nothing by itself. */
export interface GroupEvent {
  kind: "group";
  box: Box;
  inSoftMask?: boolean;
  colourSpace: ColourSpace | undefined;
}

export type PaintEvent = FillEvent | StrokeEvent | TextEvent | ImageEvent | ShadingEvent;
export type ContentEvent = PaintEvent | GroupEvent;
