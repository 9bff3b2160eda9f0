import { SELF } from "cloudflare:test";

import { parseRoomEvent, type RoomEvent } from "~/room/events";

/** A socket in an order's room that collects every event it receives. */
export interface RoomListener {
  readonly events: RoomEvent[];
  close(): void;
}

/** Opens the order's room with the given session cookie, as a browser would. */
export async function listenToOrderRoom(orderId: string, cookie: string): Promise<RoomListener> {
  const response = await SELF.fetch(`http://portal.test/parties/order-room/${orderId}`, {
    headers: { Upgrade: "websocket", Cookie: cookie },
  });
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`room connection rejected with status ${response.status}`);

  socket.accept();
  const events: RoomEvent[] = [];
  socket.addEventListener("message", (message) => {
    const event = parseRoomEvent(message.data);
    if (event) events.push(event);
  });
  return { events, close: () => socket.close() };
}

/** Waits until `condition` holds, polling every 10 ms, or fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
