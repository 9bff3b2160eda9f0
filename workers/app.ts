import { createRequestHandler, RouterContextProvider } from "react-router";

import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
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

const handleRequest = createRequestHandler(() => import("virtual:react-router/server-build"), import.meta.env.MODE);

export default {
  async fetch(request, env, ctx) {
    const shareResponse = await routeShareRequest(request, env);
    if (shareResponse) return endUnreadBody(request, ctx, shareResponse);

    const roomResponse = await routeRoomRequest(request, env);
    if (roomResponse) return roomResponse;

    const context = new RouterContextProvider();
    context.set(cloudflareContext, { env, ctx });
    return endUnreadBody(request, ctx, await handleRequest(request, context));
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
 * A request rejected before its body was read (a foreign order, a part of
 * the wrong size) must still end its body, or the connection that carried
 * it breaks the next request sent over it.
 */
function endUnreadBody(request: Request, ctx: ExecutionContext, response: Response): Response {
  if (request.body && !request.bodyUsed && !request.body.locked) {
    ctx.waitUntil(request.body.cancel().catch(() => undefined));
  }
  return response;
}
