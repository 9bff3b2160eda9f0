import { escapeHtml } from "~/email/layout.server";

const ERROR_TITLES: Record<number, string> = { 403: "Kein Zugriff", 404: "Nicht gefunden", 410: "Nicht mehr vorhanden" };

/** The shape of what `data()` throws: its payload and the response's status. */
interface ThrownData {
  type: "DataWithResponseInit";
  data: unknown;
  init: ResponseInit | null;
}

function isThrownData(value: unknown): value is ThrownData {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/**
 * Runs a resource route's loader. When the browser opened the address itself
 * (it accepts HTML), an error thrown with `data({ message }, { status })`
 * becomes a small German error page instead of bare JSON; scripts that fetch
 * the resource keep getting JSON.
 */
export async function withErrorPage(request: Request, load: () => Promise<Response>): Promise<Response> {
  try {
    return await load();
  } catch (error) {
    if (!isThrownData(error) || !request.headers.get("Accept")?.includes("text/html")) throw error;

    const status = error.init?.status ?? 500;
    const message = (error.data as { message?: unknown } | null)?.message;
    return errorPage(status, typeof message === "string" ? message : ERROR_TITLES[status] ?? "Fehler");
  }
}

/** Renders a German error page with the message and a link to the overview. */
export function errorPage(status: number, message: string): Response {
  const title = ERROR_TITLES[status] ?? `Fehler ${status}`;
  const html = [
    "<!doctype html>",
    '<html lang="de">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(message)}</p>`,
    '<p><a href="/">Zur Übersicht</a></p>',
    "</body>",
    "</html>",
  ].join("\n");
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
