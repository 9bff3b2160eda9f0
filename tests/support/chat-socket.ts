import { SELF } from "cloudflare:test";

import { parseServerFrame, type ClientFrame, type ServerFrame } from "~/room/events";

import { waitFor } from "./room-socket";

type FrameOf<T extends ServerFrame["type"]> = Extract<ServerFrame, { type: T }>;

/** A browser-like chat client in an order's room that records every frame it receives. */
export interface ChatClient {
  readonly frames: ServerFrame[];
  /** Raw text frames that are not valid server frames, such as the heartbeat "pong". */
  readonly otherFrames: string[];
  send(frame: ClientFrame | Record<string, unknown>): void;
  sendRaw(text: string): void;
  /** Frames of one type, in arrival order. */
  ofType<T extends ServerFrame["type"]>(type: T): FrameOf<T>[];
  /** Waits until `count` frames of the type have arrived and returns them all. */
  waitForType<T extends ServerFrame["type"]>(type: T, count?: number, timeoutMs?: number): Promise<FrameOf<T>[]>;
  close(): void;
  readonly socket: WebSocket;
}

/** Opens the order's room with the session cookie and, unless `hello` is null, sends `hello` with that lastSeq. */
export async function connectChat(orderId: string, cookie: string, hello: number | null = 0): Promise<ChatClient> {
  const response = await SELF.fetch(`http://portal.test/parties/order-room/${orderId}`, {
    headers: { Upgrade: "websocket", Cookie: cookie },
  });
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`room connection rejected with status ${response.status}`);
  socket.accept();

  const frames: ServerFrame[] = [];
  const otherFrames: string[] = [];
  socket.addEventListener("message", (message) => {
    const frame = parseServerFrame(message.data);
    if (frame) frames.push(frame);
    else otherFrames.push(String(message.data));
  });

  const ofType = <T extends ServerFrame["type"]>(type: T) => frames.filter((frame): frame is FrameOf<T> => frame.type === type);
  const client: ChatClient = {
    frames,
    otherFrames,
    socket,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendRaw: (text) => socket.send(text),
    ofType,
    async waitForType(type, count = 1, timeoutMs = 3000) {
      await waitFor(() => ofType(type).length >= count, timeoutMs);
      return ofType(type);
    },
    close: () => socket.close(),
  };
  if (hello !== null) {
    client.send({ type: "hello", lastSeq: hello });
    await client.waitForType("chat.history");
  }
  return client;
}
