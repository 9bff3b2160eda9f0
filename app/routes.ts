import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/overview.tsx"),
  route("anmelden", "routes/login.tsx"),
  route("abmelden", "routes/logout.ts"),
  route("auftraege/:orderId", "routes/order.tsx"),
  route("auftraege/:orderId/dateien", "routes/order-files.ts"),
  route("auftraege/:orderId/uploads", "routes/order-uploads.ts"),
  route("auftraege/:orderId/uploads/:uploadId", "routes/order-upload.ts"),
  route("auftraege/:orderId/uploads/:uploadId/parts/:partNumber", "routes/order-upload-part.ts"),
  route("auftraege/:orderId/uploads/:uploadId/complete", "routes/order-upload-complete.ts"),
  route("auftraege/:orderId/links", "routes/order-links.ts"),
  route("auftraege/:orderId/links/:linkId/widerrufen", "routes/order-link.ts"),
  route("dokumente/:documentId", "routes/document.ts"),
  route("dateien/:fileId", "routes/file.ts"),
  route("dateien/:fileId/bericht", "routes/file-report.tsx"),
  route("dateien/:fileId/bericht.json", "routes/file-report-json.ts"),
  route("live", "routes/live.tsx"),
  route("profil", "routes/profile.tsx"),
  route("dev/postfach/:emailId?", "routes/dev-mailbox.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
