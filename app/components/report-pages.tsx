import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import type { PDFDocumentProxy, PDFPageProxy, PageViewport, RenderTask } from "pdfjs-dist";

import { toOverlayRect, type NumberedFinding, type OverlayRect, type ReportPage } from "~/files/report-layout";
import { messages } from "~/messages";
import type { Box, PageGeometry } from "~/preflight";

/** Widest page picture in CSS pixels. The findings list takes the rest of the row. */
const MAX_PICTURE_WIDTH = 520;
/** Pages this far below or above the visible part of the window start rendering early. */
const PRELOAD_MARGIN = "600px 0px";
/** Aspect ratio of the placeholder when the page size is not known yet: A4 portrait. */
const DEFAULT_ASPECT_RATIO = 210 / 297;

type DocumentState = { status: "loading" } | { status: "ready"; pdf: PDFDocumentProxy } | { status: "failed" };

/**
 * Lists every page of the report: a picture rendered by pdf.js with the
 * findings' areas marked and numbered, and the page's findings beside it.
 * pdf.js is loaded only here, in the browser, and a page renders once it
 * comes near the visible part of the window, or at once with `renderAll`.
 * `onAllRendered` runs when `renderAll` is set and every page has its
 * picture or has failed, so that the report can be printed whole.
 */
export function ReportPages({
  fileUrl,
  pages,
  renderFinding,
  renderAll = false,
  onAllRendered,
}: {
  fileUrl: string;
  pages: ReportPage[];
  renderFinding: (entry: NumberedFinding) => ReactNode;
  renderAll?: boolean;
  onAllRendered?: () => void;
}) {
  const documentState = usePdfDocument(fileUrl);
  const [settledPages, setSettledPages] = useState<ReadonlySet<number>>(new Set());
  const markSettled = useCallback((pageNumber: number) => {
    setSettledPages((previous) => (previous.has(pageNumber) ? previous : new Set(previous).add(pageNumber)));
  }, []);

  const allSettled = documentState.status === "failed" || settledPages.size >= pages.length;
  useEffect(() => {
    if (renderAll && allSettled) onAllRendered?.();
  }, [renderAll, allSettled, onAllRendered]);

  return (
    <>
      {documentState.status === "failed" ? (
        <p className="report-note" role="note">
          {messages.reportPreviewUnavailable}
        </p>
      ) : null}
      {pages.map((page) => (
        <section key={page.number} className="report-page" aria-labelledby={`page-${page.number}-heading`} data-page={page.number}>
          <h3 id={`page-${page.number}-heading`}>Seite {page.number}</h3>
          <div className="report-page-body">
            {documentState.status === "failed" ? null : (
              <PagePicture page={page} documentState={documentState} renderNow={renderAll} onSettled={markSettled} />
            )}
            <div className="report-page-findings">
              {page.findings.length === 0 ? (
                <p className="muted">Keine Befunde auf dieser Seite.</p>
              ) : (
                <ol className="report-findings">{page.findings.map(renderFinding)}</ol>
              )}
            </div>
          </div>
        </section>
      ))}
    </>
  );
}

/** Opens the PDF with pdf.js by byte ranges, so that a large file is not loaded whole before the first page shows. */
function usePdfDocument(fileUrl: string): DocumentState {
  const [state, setState] = useState<DocumentState>({ status: "loading" });

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => Promise<void>) | undefined;

    async function open() {
      const [pdfjs, worker] = await Promise.all([import("pdfjs-dist"), import("pdfjs-dist/build/pdf.worker.min.mjs?url")]);
      if (cancelled) return;
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;

      // NOTE: no cMapUrl, standardFontDataUrl or wasmUrl is set, because Vite
      // would have to serve pdfjs-dist's data folders under their own names.
      // Fonts that the file does not embed are drawn with the browser's
      // fonts, and CJK text with predefined CMaps, JPEG 2000 and JBIG2 images
      // may be missing from the picture.
      const loadingTask = pdfjs.getDocument({
        url: fileUrl,
        // Both are needed for pdf.js to fetch only the ranges of the pages it renders.
        disableStream: true,
        disableAutoFetch: true,
      });
      destroy = () => loadingTask.destroy();
      const pdf = await loadingTask.promise;
      if (!cancelled) setState({ status: "ready", pdf });
    }

    open().catch((error: unknown) => {
      if (cancelled) return;
      console.warn("report: pdf.js failed to open the file", { fileUrl, error: String(error) });
      setState({ status: "failed" });
    });
    return () => {
      cancelled = true;
      void destroy?.();
    };
  }, [fileUrl]);

  return state;
}

interface PictureMark {
  key: string;
  kind: "trim" | "bleed" | "finding";
  rect: OverlayRect;
  number?: number;
  severity?: string;
}

interface RenderedPicture {
  width: number;
  height: number;
  marks: PictureMark[];
}

type PictureState = { status: "waiting" } | { status: "rendered"; picture: RenderedPicture } | { status: "failed" };

/**
 * Renders one page into a canvas once it is near the window or `renderNow`
 * is set, and draws the boxes and marked areas over it in SVG. Calls
 * `onSettled` with the page number when the picture is rendered or has failed.
 */
function PagePicture({
  page,
  documentState,
  renderNow,
  onSettled,
}: {
  page: ReportPage;
  documentState: DocumentState;
  renderNow: boolean;
  onSettled: (pageNumber: number) => void;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const nearWindow = useNearWindow(containerRef) || renderNow;
  const [state, setState] = useState<PictureState>({ status: "waiting" });
  const pdf = documentState.status === "ready" ? documentState.pdf : null;

  useEffect(() => {
    const canvas = canvasRef.current;
    const container = containerRef.current;
    if (!pdf || !nearWindow || !canvas || !container) return;

    let cancelled = false;
    let renderTask: RenderTask | undefined;
    let pdfPage: PDFPageProxy | undefined;

    async function render() {
      if (!pdf || !canvas || !container) return;
      pdfPage = await pdf.getPage(page.number);
      if (cancelled) return;

      const unscaled = pdfPage.getViewport({ scale: 1 });
      const width = Math.min(container.clientWidth || MAX_PICTURE_WIDTH, MAX_PICTURE_WIDTH);
      const viewport = pdfPage.getViewport({ scale: width / unscaled.width });
      const pixelRatio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * pixelRatio);
      canvas.height = Math.floor(viewport.height * pixelRatio);
      canvas.style.width = `${viewport.width}px`;
      canvas.style.height = `${viewport.height}px`;

      renderTask = pdfPage.render({
        canvas,
        viewport,
        transform: pixelRatio === 1 ? undefined : [pixelRatio, 0, 0, pixelRatio, 0, 0],
      });
      await renderTask.promise;
      if (cancelled) return;
      setState({
        status: "rendered",
        picture: { width: viewport.width, height: viewport.height, marks: collectMarks(page, viewport) },
      });
    }

    render().catch((error: unknown) => {
      if (cancelled || (error instanceof Error && error.name === "RenderingCancelledException")) return;
      console.warn("report: page rendering failed", { page: page.number, error: String(error) });
      setState({ status: "failed" });
    });
    return () => {
      cancelled = true;
      renderTask?.cancel();
      pdfPage?.cleanup();
    };
  }, [pdf, nearWindow, page]);

  useEffect(() => {
    if (state.status !== "waiting") onSettled(page.number);
  }, [state.status, page.number, onSettled]);

  const rendered = state.status === "rendered" ? state.picture : null;
  return (
    <figure className="report-picture" ref={containerRef}>
      <div
        className="report-picture-frame"
        data-rendered={rendered ? "true" : "false"}
        style={rendered ? undefined : { aspectRatio: String(placeholderAspectRatio(page.geometry)) }}
      >
        <canvas ref={canvasRef} aria-label={`Bild der Seite ${page.number}`} role="img" hidden={!rendered} />
        {rendered ? <PictureOverlay picture={rendered} /> : null}
        {state.status === "waiting" ? <p className="report-picture-status">{messages.reportPageLoading}</p> : null}
        {state.status === "failed" ? <p className="report-picture-status">{messages.reportPageUnavailable}</p> : null}
      </div>
      {rendered && page.geometry?.trimBox ? (
        <figcaption className="report-legend">
          <span className="legend-trim">Endformat (TrimBox)</span>
          {page.geometry.bleedBox ? <span className="legend-bleed">Beschnitt (BleedBox)</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}

function PictureOverlay({ picture }: { picture: RenderedPicture }) {
  return (
    <svg
      className="report-overlay"
      width={picture.width}
      height={picture.height}
      viewBox={`0 0 ${picture.width} ${picture.height}`}
      aria-hidden="true"
    >
      {picture.marks.map((mark) =>
        mark.kind === "finding" ? (
          <g key={mark.key} className={`report-mark report-mark-${mark.severity}`} data-finding-number={mark.number}>
            <rect x={mark.rect.x} y={mark.rect.y} width={mark.rect.width} height={mark.rect.height} />
            <NumberBadge number={mark.number ?? 0} rect={mark.rect} pictureWidth={picture.width} />
          </g>
        ) : (
          <rect
            key={mark.key}
            className={`report-box report-box-${mark.kind}`}
            x={mark.rect.x}
            y={mark.rect.y}
            width={mark.rect.width}
            height={mark.rect.height}
          />
        ),
      )}
    </svg>
  );
}

/** Converts the page's trim and bleed boxes and each finding's area from PDF user space into viewport pixels. */
function collectMarks(page: ReportPage, viewport: PageViewport): PictureMark[] {
  // pdf.js 6 has no convertToViewportRectangle any more, so both corners go through convertToViewportPoint.
  const toRect = ([x1, y1, x2, y2]: Box) =>
    toOverlayRect([...viewport.convertToViewportPoint(x1, y1), ...viewport.convertToViewportPoint(x2, y2)]);
  const marks: PictureMark[] = [];
  if (page.geometry?.bleedBox) marks.push({ key: "bleed", kind: "bleed", rect: toRect(page.geometry.bleedBox) });
  if (page.geometry?.trimBox) marks.push({ key: "trim", kind: "trim", rect: toRect(page.geometry.trimBox) });
  for (const { number, finding } of page.findings) {
    if (!finding.area) continue;
    marks.push({ key: `finding-${number}`, kind: "finding", rect: toRect(finding.area), number, severity: finding.severity });
  }
  return marks;
}

const BADGE_HEIGHT = 16;

/**
 * Draws the finding's number in a filled label on the top left corner of its
 * mark: above the mark where there is room, else inside it, and never beyond
 * the picture's right edge.
 */
function NumberBadge({ number, rect, pictureWidth }: { number: number; rect: OverlayRect; pictureWidth: number }) {
  const width = 8 + 7 * String(number).length;
  const x = Math.max(0, Math.min(rect.x, pictureWidth - width));
  const y = rect.y >= BADGE_HEIGHT ? rect.y - BADGE_HEIGHT : Math.max(rect.y, 0);
  return (
    <>
      <rect className="report-mark-badge" x={x} y={y} width={width} height={BADGE_HEIGHT} />
      <text x={x + width / 2} y={y + BADGE_HEIGHT / 2} textAnchor="middle" dominantBaseline="central">
        {number}
      </text>
    </>
  );
}

function placeholderAspectRatio(geometry: PageGeometry | null): number {
  if (!geometry) return DEFAULT_ASPECT_RATIO;
  const [x1, y1, x2, y2] = geometry.mediaBox;
  const width = Math.abs(x2 - x1);
  const height = Math.abs(y2 - y1);
  if (width === 0 || height === 0) return DEFAULT_ASPECT_RATIO;
  const quarterTurns = Math.round(geometry.rotate / 90);
  return Math.abs(quarterTurns) % 2 === 1 ? height / width : width / height;
}

/** Becomes true once the element comes within PRELOAD_MARGIN of the window, and stays true. */
function useNearWindow(ref: React.RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);

  useEffect(() => {
    const element = ref.current;
    if (!element || near) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: PRELOAD_MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, near]);

  return near;
}
