// Number and unit formatting for German finding texts.

export const MM_PER_POINT = 25.4 / 72;

const twoDecimals = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 1 });

export function pointsToMm(points: number): number {
  return points * MM_PER_POINT;
}

/** Formats a length such as "1,5 mm"; values that round to zero are shown as "0 mm". */
export function formatMm(mm: number): string {
  const text = twoDecimals.format(mm);
  return `${text === "-0" ? "0" : text} mm`;
}

/** Formats a page format such as "210 × 297 mm" from width and height in points. */
export function formatSizeMm(widthPoints: number, heightPoints: number): string {
  return `${oneDecimal.format(pointsToMm(widthPoints))} × ${oneDecimal.format(pointsToMm(heightPoints))} mm`;
}

/** Formats sorted page numbers with ranges, such as "1, 3–5, 9". */
export function formatPageList(pageNumbers: number[]): string {
  const sorted = [...new Set(pageNumbers)].sort((a, b) => a - b);
  const parts: string[] = [];

  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    const end = sorted[i];
    parts.push(start === end ? `${start}` : `${start}–${end}`);
  }
  return parts.join(", ");
}

/** Returns "Seite 3" or "Seiten 1–5" for a list of page numbers. */
export function describePages(pageNumbers: number[]): string {
  const unique = new Set(pageNumbers);
  return `${unique.size === 1 ? "Seite" : "Seiten"} ${formatPageList(pageNumbers)}`;
}

const wholeNumber = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 0 });

/** Formats a resolution such as "118 ppi", rounded to whole pixels per inch. */
export function formatPpi(ppi: number): string {
  return `${wholeNumber.format(ppi)} ppi`;
}

/** Formats a size in points such as "6,5 pt", with up to two decimals. */
export function formatPt(points: number): string {
  const text = twoDecimals.format(points);
  return `${text === "-0" ? "0" : text} pt`;
}
