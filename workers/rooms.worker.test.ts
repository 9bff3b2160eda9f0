import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

import { parseRoomEvent, type RoomEvent } from "~/room/events";
import { publishToOrderRoom } from "~/room/publish.server";
import { demoOrder, demoUser, seedDemo, sessionCookieFor } from "../tests/support/fixtures";

let data: Awaited<ReturnType<typeof seedDemo>>;
let orderId: string;

beforeAll(async () => {
  data = await seedDemo();
  orderId = demoOrder(data, "42793.04").id;
});

function connect(order: string, cookie?: string) {
  const headers: Record<string, string> = { Upgrade: "websocket" };
  if (cookie) headers.Cookie = cookie;
  return SELF.fetch(`http://portal.test/parties/order-room/${order}`, { headers });
}

function nextEvent(socket: WebSocket): Promise<RoomEvent | null> {
  return new Promise((resolve) => {
    socket.addEventListener("message", (message) => resolve(parseRoomEvent(message.data)), { once: true });
  });
}

describe("order room sockets", () => {
  it("rejects a socket without a session", async () => {
    const response = await connect(orderId);
    expect(response.status).toBe(401);
  });

  it("rejects a forged session cookie", async () => {
    const response = await connect(orderId, "portal_session=forgedtokenforgedtokenforged");
    expect(response.status).toBe(401);
  });

  it("rejects a customer of another company", async () => {
    const cookie = await sessionCookieFor(demoUser(data, "kunde2@example.com").id);
    const response = await connect(orderId, cookie);
    expect(response.status).toBe(403);
  });

  it("rejects an order that does not exist", async () => {
    const cookie = await sessionCookieFor(demoUser(data, "kunde@example.com").id);
    const response = await connect(crypto.randomUUID(), cookie);
    expect(response.status).toBe(403);
  });

  it("pushes published events to the order's customer and staff", async () => {
    const sockets: WebSocket[] = [];
    for (const email of ["kunde@example.com", "druckvorstufe@example.com"]) {
      const response = await connect(orderId, await sessionCookieFor(demoUser(data, email).id));
      expect(response.status).toBe(101);
      const socket = response.webSocket!;
      socket.accept();
      sockets.push(socket);
    }

    const received = sockets.map(nextEvent);
    const event: RoomEvent = { type: "file.added", fileId: "file-1", originalName: "Broschüre.pdf" };
    await publishToOrderRoom(env, orderId, event);

    expect(await Promise.all(received)).toEqual([event, event]);
    for (const socket of sockets) socket.close();
  });
});
