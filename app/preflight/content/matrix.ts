// Affine matrices [a b c d e f] as in PDF 32000-1:2008, section 8.3.3: a point (x, y) maps to
// (a·x + c·y + e, b·x + d·y + f).

import type { Box } from "../types";

export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** Returns m1 × m2: first m1, then m2. */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  return [
    m1[0] * m2[0] + m1[1] * m2[2],
    m1[0] * m2[1] + m1[1] * m2[3],
    m1[2] * m2[0] + m1[3] * m2[2],
    m1[2] * m2[1] + m1[3] * m2[3],
    m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
    m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
  ];
}

export function transformPoint(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** Returns the inverse matrix, or undefined for a singular one. */
export function invert(m: Matrix): Matrix | undefined {
  const det = m[0] * m[3] - m[1] * m[2];
  if (det === 0 || !Number.isFinite(det)) return undefined;
  return [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det, (m[2] * m[5] - m[3] * m[4]) / det, (m[1] * m[4] - m[0] * m[5]) / det];
}

/** Returns the axis-aligned bounding box of the rectangle [x0, y0, x1, y1] after the transformation. */
export function transformRect(m: Matrix, x0: number, y0: number, x1: number, y1: number): Box {
  const corners = [transformPoint(m, x0, y0), transformPoint(m, x1, y0), transformPoint(m, x0, y1), transformPoint(m, x1, y1)];
  const xs = corners.map((point) => point[0]);
  const ys = corners.map((point) => point[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Returns the smallest factor by which the matrix scales a length in any direction (its smaller singular value). */
export function minScale(m: Matrix): number {
  const [a, b, c, d] = m;
  const sum = a * a + b * b + c * c + d * d;
  const det = a * d - b * c;
  const root = Math.sqrt(Math.max(0, sum * sum - 4 * det * det));
  return Math.sqrt(Math.max(0, (sum - root) / 2));
}

/** Returns the smallest box that contains both boxes. */
export function unionBox(a: Box | undefined, b: Box): Box {
  if (!a) return [...b];
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

export function readMatrix(value: unknown): Matrix | undefined {
  if (!Array.isArray(value) || value.length !== 6) return undefined;
  if (!value.every((item) => typeof item === "number" && Number.isFinite(item))) return undefined;
  return value as Matrix;
}
