import { createRequestHandler, RouterContextProvider } from "react-router";

import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { createNonce } from "~/security/csp";
import { withSecurityHeaders } from "~/security/headers";
import { cspNonceContext } from "~/security/nonce-context";
import { rejectCrossOriginRequest } from "~/security/origin";
import { deleteEndedWindows } from "~/share-links/guard.server";
import { abortExpiredUploads } from "~/uploads/multipart.server";

import { consumeEmailBatch } from "./queues/email";
import { consumeEmailDeadLetterBatch } from "./queues/email-dead-letter";
import { consumePreflightBatch } from "./queues/preflight";
import { consumePreflightDeadLetterBatch } from "./queues/preflight-dead-letter";
import { routeRoomRequest } from "./rooms";
import { routeShareRequest } from "./share";

export { OrderRoom } from "../party/order-room";
export { RateLimiter } from "../party/rate-limiter";
export { StaffFeed } from "../party/staff-feed";

/** Largest unread request body that is read to its end instead of cancelled. */
const MAX_DRAINED_BODY_BYTES = 64 * 1024;

const handleRequest = createRequestHandler(() => import("virtual:react-router/server-build"), import.meta.env.MODE);

export default {
  async fetch(request, env, ctx) {
    const nonce = createNonce();
    const response = await routeRequest(request, env, ctx, nonce);

    // The 101 of a WebSocket upgrade carries the socket, and a copy would lose it.
    if (response.status === 101 || response.webSocket) return response;
    return withSecurityHeaders(response, nonce, { development: import.meta.env.DEV });
  },

  async queue(batch, env) {
    if (batch.queue === "preflight") {
      await consumePreflightBatch(batch, env);
      return;
    }
    if (batch.queue === "preflight-dlq") {
      await consumePreflightDeadLetterBatch(batch, env);
      return;
    }
    if (batch.queue === "email") {
      await consumeEmailBatch(batch, env);
      return;
    }
    if (batch.queue === "email-dlq") {
      await consumeEmailDeadLetterBatch(batch, env);
      return;
    }
    console.error("queue: no consumer for queue", { queue: batch.queue });
    batch.retryAll();
  },

  // The cron trigger in wrangler.toml: aborts multipart uploads older than 24
  // hours and deletes ended windows of failed share-link lookups.
  async scheduled(controller, env) {
    const aborted = await abortExpiredUploads(env, getDb(env), controller.scheduledTime);
    await deleteEndedWindows(getDb(env), controller.scheduledTime);
    console.info("scheduled: cleanup finished", { cron: controller.cron, abortedUploads: aborted });
  },
} satisfies ExportedHandler<Env>;

/**
 * Sends the request to the share page, the Origin check, the rooms or React
 * Router, in this order. The share page comes first because its upload API
 * authenticates by the link's token, not by a cookie, so a request from
 * another site carries no credential there that the Origin check must protect.
 */
async function routeRequest(request: Request, env: Env, ctx: ExecutionContext, nonce: string): Promise<Response> {
  const shareResponse = await routeShareRequest(request, env);
  if (shareResponse) return endUnreadBody(request, ctx, shareResponse);

  const rejected = rejectCrossOriginRequest(request);
  if (rejected) return endUnreadBody(request, ctx, rejected);

  const roomResponse = await routeRoomRequest(request, env);
  if (roomResponse) return roomResponse;

  const context = new RouterContextProvider();
  context.set(cloudflareContext, { env, ctx });
  context.set(cspNonceContext, nonce);
  return endUnreadBody(request, ctx, await handleRequest(request, context));
}

/**
 * A request rejected before its body was read (a foreign order, a part of
 * the wrong size, a failed Origin check) must still end its body, or the
 * connection that carried it breaks the next request sent over it. A small
 * body is read to its end before the response goes out, because cancelling
 * it lets the local server (Vite preview in front of workerd) fail the next
 * request with 500. A large body is cancelled, so that a rejected upload
 * is not received in full.
 */
async function endUnreadBody(request: Request, ctx: ExecutionContext, response: Response): Promise<Response> {
  if (!request.body || request.bodyUsed || request.body.locked) return response;

  const lengthHeader = request.headers.get("Content-Length");
  if (lengthHeader !== null && /^\d+$/.test(lengthHeader) && Number(lengthHeader) <= MAX_DRAINED_BODY_BYTES) {
    await request.arrayBuffer().catch(() => undefined);
  } else {
    ctx.waitUntil(request.body.cancel().catch(() => undefined));
  }
  return response;
}
