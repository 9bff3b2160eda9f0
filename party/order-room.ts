import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import * as v from "valibot";

import {
  findMessageBySeq,
  getLastSeq,
  getMessage,
  getOwnLastReadSeq,
  getReads,
  insertMessage,
  listChangedMessagesUpTo,
  listMessagesAfter,
  markRead,
  setMessagePinned,
  updateMessageBody,
} from "~/chat/store.server";
import { isSessionValid } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { USER_ROLES } from "~/db/values";
import { messages } from "~/messages";
import { notifyChatMessage } from "~/notifications/chat.server";
import {
  CHAT_EDIT_WINDOW_MS,
  CHAT_MAX_CHARS,
  CHAT_MAX_FRAME_BYTES,
  clientFrameSchema,
  countChars,
  HEARTBEAT_PING,
  HEARTBEAT_PONG,
  type ChatErrorCode,
  type ChatMessage,
  type ChatServerFrame,
  type ClientFrame,
  type PresenceUser,
  type RoomEvent,
} from "~/room/events";
import { reportOrderActivity } from "~/room/staff-feed.server";

// Identity of a connection, decided by the Worker before the socket reaches
// the room and passed in a request header that only the Worker can set.
export const ROOM_USER_HEADER = "X-Portal-Room-User";

const roomUserSchema = v.object({
  userId: v.string(),
  /** The session the socket was opened with (the SHA-256 of its cookie token). */
  sessionId: v.string(),
  role: v.picklist(USER_ROLES),
  name: v.string(),
  salutation: v.nullable(v.string()),
});

type RoomUser = v.InferOutput<typeof roomUserSchema>;

/** Connection state, kept in the socket attachment so that it survives hibernation. */
interface ConnectionState extends RoomUser {
  /** Set once the browser has sent `hello`; only such connections get chat frames. */
  joined: boolean;
  /** Time of the last frame from the browser (ms since epoch). Heartbeat pings do not wake the room, so their time comes from the runtime. */
  lastSeenAt: number;
}

type RoomConnection = Connection<ConnectionState>;

/** Chat writes (send, edit, pin) allowed per connection within RATE_WINDOW_MS. */
export const RATE_LIMIT = 10;
export const RATE_WINDOW_MS = 10_000;
/** Frames of any kind (read receipts, hello) allowed per connection within RATE_WINDOW_MS. */
export const FRAME_RATE_LIMIT = 60;
/** The browser pings every 25 s; a connection silent for longer than this is taken for gone. */
export const STALE_AFTER_MS = 75_000;
const PRUNE_INTERVAL_MS = 30_000;
const GERMAN_NUMBER_FORMAT = new Intl.NumberFormat("de-DE");

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function utf8Length(text: string): number {
  // A UTF-16 code unit takes at most 3 bytes in UTF-8, so short frames need no encoding.
  if (text.length * 3 <= CHAT_MAX_FRAME_BYTES) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

/**
 * One room per order (named by the order id). It pushes the order's live
 * events to every open order page and runs the order's chat: it is the only
 * writer of the order's message sequence, stores each message in D1 and then
 * broadcasts it. Hibernation keeps idle rooms free of cost; connection state
 * lives in the socket attachment and survives it.
 */
export class OrderRoom extends Server<Env> {
  static options = { hibernate: true };

  /** Chat writes run one after another, so that seq numbers are assigned in order. */
  #writeQueue: Promise<void> = Promise.resolve();
  /** Recent write times per connection id; lost on hibernation, which only happens when the room is idle. */
  #recentWrites = new Map<string, number[]>();
  #recentFrames = new Map<string, number[]>();
  /** How long a connection may stay silent before the alarm closes it; tests lower it. */
  staleAfterMs = STALE_AFTER_MS;

  onStart() {
    // The runtime replies to heartbeats itself, without waking a hibernated room.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
  }

  async onConnect(connection: RoomConnection, ctx: ConnectionContext) {
    const result = v.safeParse(roomUserSchema, parseJson(ctx.request.headers.get(ROOM_USER_HEADER)));
    if (!result.success) {
      console.error("order-room: connection without user", { orderId: this.name, connectionId: connection.id });
      connection.close(1008, "unauthorised");
      return;
    }
    connection.setState({ ...result.output, joined: false, lastSeenAt: Date.now() });
    this.#broadcastPresence();
    await this.#schedulePrune();
  }

  async onMessage(connection: RoomConnection, message: WSMessage) {
    const state = connection.state;
    if (!state) {
      console.error("order-room: frame on a connection without user", { orderId: this.name, connectionId: connection.id });
      connection.close(1008, "unauthorised");
      return;
    }
    connection.setState({ ...state, lastSeenAt: Date.now() });

    if (typeof message !== "string") {
      this.#reject(connection, "invalid_frame", "binary frame");
      return;
    }
    if (message === HEARTBEAT_PING) {
      connection.send(HEARTBEAT_PONG);
      return;
    }
    if (utf8Length(message) > CHAT_MAX_FRAME_BYTES) {
      this.#reject(connection, "frame_too_large", `frame larger than ${CHAT_MAX_FRAME_BYTES} bytes`);
      return;
    }
    const result = v.safeParse(clientFrameSchema, parseJson(message));
    if (!result.success) {
      this.#reject(connection, "invalid_frame", `malformed or unknown frame: ${describeIssues(result.issues)}`);
      return;
    }

    const frame = result.output;
    if (!takeToken(this.#recentFrames, connection.id, FRAME_RATE_LIMIT)) {
      this.#reject(connection, "rate_limited", `more than ${FRAME_RATE_LIMIT} frames in ${RATE_WINDOW_MS} ms`, clientIdOf(frame));
      return;
    }
    if (frame.type === "chat.send" || frame.type === "chat.edit" || frame.type === "chat.pin") {
      if (!takeToken(this.#recentWrites, connection.id, RATE_LIMIT)) {
        this.#reject(connection, "rate_limited", `more than ${RATE_LIMIT} writes in ${RATE_WINDOW_MS} ms`, clientIdOf(frame));
        return;
      }
    }
    await this.#enqueue(connection, frame);
  }

  onClose(connection: RoomConnection) {
    this.#forgetRates(connection.id);
    this.#broadcastPresence(connection.id);
  }

  onError(connection: RoomConnection, error: unknown) {
    console.warn("order-room: socket error", { orderId: this.name, connectionId: connection.id, error: String(error) });
    this.#forgetRates(connection.id);
    this.#broadcastPresence(connection.id);
  }

  /** Closes connections that sent neither a frame nor a heartbeat for `staleAfterMs`, then updates presence. */
  async onAlarm() {
    const now = Date.now();
    let pruned = 0;
    for (const connection of this.getConnections<ConnectionState>()) {
      const lastHeartbeat = this.ctx.getWebSocketAutoResponseTimestamp(connection)?.getTime() ?? 0;
      const lastSeenAt = Math.max(connection.state?.lastSeenAt ?? 0, lastHeartbeat);
      if (now - lastSeenAt <= this.staleAfterMs) continue;

      console.info("order-room: closing stale connection", { orderId: this.name, connectionId: connection.id, silentMs: now - lastSeenAt });
      this.#forgetRates(connection.id);
      try {
        connection.close(4000, "stale");
      } catch (error) {
        console.warn("order-room: closing stale connection failed", { orderId: this.name, connectionId: connection.id, error: String(error) });
      }
      pruned += 1;
    }
    if (pruned > 0) this.#broadcastPresence();
    await this.#schedulePrune();
  }

  /** Sends an event to everyone who has the order open. Called by the queue consumer and upload route over RPC. */
  async publish(event: RoomEvent) {
    this.broadcast(JSON.stringify(event));
  }

  async #schedulePrune() {
    const hasConnections = !this.getConnections()[Symbol.iterator]().next().done;
    if (!hasConnections) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PRUNE_INTERVAL_MS);
  }

  #forgetRates(connectionId: string) {
    this.#recentWrites.delete(connectionId);
    this.#recentFrames.delete(connectionId);
  }

  #enqueue(connection: RoomConnection, frame: ClientFrame): Promise<void> {
    const run = this.#writeQueue.then(() => this.#handleFrame(connection, frame));
    this.#writeQueue = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      console.error("order-room: frame failed", {
        orderId: this.name,
        connectionId: connection.id,
        frame: frame.type,
        error: String(error),
      });
      this.#sendError(connection, "internal", messages.chatFailed, clientIdOf(frame));
    });
  }

  async #handleFrame(connection: RoomConnection, frame: ClientFrame) {
    // A socket outlives its session: ended elsewhere, by a password change or
    // a deactivation. Every frame checks that the session is still valid.
    const state = connection.state;
    if (!state || !(await isSessionValid(getDb(this.env), state.sessionId, Date.now()))) {
      console.info("order-room: session ended, closing connection", { orderId: this.name, connectionId: connection.id, userId: state?.userId });
      this.#sendError(connection, "forbidden", messages.notSignedIn, clientIdOf(frame));
      connection.close(1008, "session ended");
      return;
    }

    switch (frame.type) {
      case "hello":
        return this.#handleHello(connection, frame.lastSeq);
      case "chat.send":
        return this.#handleSend(connection, frame.clientId, frame.body);
      case "chat.edit":
        return this.#handleEdit(connection, frame.seq, frame.body);
      case "chat.pin":
        return this.#handlePin(connection, frame.seq, frame.pinned);
      case "chat.read":
        return this.#handleRead(connection, frame.seq);
      default: {
        const unknown: never = frame;
        this.#reject(connection, "invalid_frame", `unhandled frame ${JSON.stringify(unknown).slice(0, 40)}`);
      }
    }
  }

  async #handleHello(connection: RoomConnection, lastSeq: number) {
    const state = connection.state!;
    const db = getDb(this.env);

    // Join before reading the history: a message stored during the reads is
    // then broadcast to this connection too, and the page merges both by seq.
    connection.setState({ ...state, joined: true });

    const [missed, currentLastSeq, ownLastReadSeq, reads] = await Promise.all([
      listMessagesAfter(db, this.name, lastSeq),
      getLastSeq(db, this.name),
      getOwnLastReadSeq(db, this.name, state.userId),
      getReads(db, this.name),
    ]);
    const updated = lastSeq > 0 ? await listChangedMessagesUpTo(db, this.name, Math.min(lastSeq, currentLastSeq)) : [];

    this.#send(connection, {
      type: "chat.history",
      messages: missed,
      updated,
      lastSeq: currentLastSeq,
      ownLastReadSeq,
      reads,
    });
    this.#send(connection, { type: "presence", users: this.#presence() });
  }

  async #handleSend(connection: RoomConnection, clientId: string, body: string) {
    const state = connection.state!;
    if (!this.#checkBody(connection, body, clientId)) return;

    const { message, created } = await insertMessage(getDb(this.env), {
      orderId: this.name,
      authorId: state.userId,
      clientId,
      body,
      now: Date.now(),
    });
    if (!created) {
      // A resend of a stored message: only the sender needs the confirmation.
      console.info("order-room: resend of a stored message", { orderId: this.name, connectionId: connection.id, seq: message.seq });
      this.#send(connection, { type: "chat.message", message });
      return;
    }

    this.#broadcastChat({ type: "chat.message", message });
    this.#afterMessageStored(message);
  }

  async #handleEdit(connection: RoomConnection, seq: number, body: string) {
    const state = connection.state!;
    const db = getDb(this.env);
    const stored = await findMessageBySeq(db, this.name, seq);
    if (!stored) {
      this.#reject(connection, "not_found", `edit of unknown seq ${seq}`, undefined, messages.chatMessageNotFound);
      return;
    }
    if (stored.authorId !== state.userId) {
      this.#reject(connection, "forbidden", `edit of seq ${seq} by another user`, undefined, messages.chatEditForbidden);
      return;
    }
    const now = Date.now();
    if (now - stored.createdAt > CHAT_EDIT_WINDOW_MS) {
      this.#reject(connection, "edit_window_over", `edit of seq ${seq} after the edit window`, undefined, messages.chatEditWindowOver);
      return;
    }
    if (!this.#checkBody(connection, body)) return;

    await updateMessageBody(db, stored.id, body, now);
    await this.#broadcastUpdated(seq);
  }

  async #handlePin(connection: RoomConnection, seq: number, pinned: boolean) {
    const state = connection.state!;
    if (state.role === "customer") {
      this.#reject(connection, "forbidden", "pin by a customer", undefined, messages.chatPinForbidden);
      return;
    }
    const db = getDb(this.env);
    const stored = await findMessageBySeq(db, this.name, seq);
    if (!stored) {
      this.#reject(connection, "not_found", `pin of unknown seq ${seq}`, undefined, messages.chatMessageNotFound);
      return;
    }
    await setMessagePinned(db, stored.id, pinned ? state.userId : null, Date.now());
    await this.#broadcastUpdated(seq);
  }

  async #handleRead(connection: RoomConnection, seq: number) {
    const state = connection.state!;
    const db = getDb(this.env);
    // A page cannot have read further than the newest message.
    const readSeq = Math.min(seq, await getLastSeq(db, this.name));
    if (readSeq <= 0) return;
    await markRead(db, this.name, state.userId, readSeq, Date.now());
    this.#broadcastChat({ type: "chat.reads", reads: await getReads(db, this.name) });
    if (state.role !== "customer") {
      this.#runInBackground(
        "report read activity",
        reportOrderActivity(this.env, { type: "read", orderId: this.name, seq: readSeq, userId: state.userId }),
      );
    }
  }

  async #broadcastUpdated(seq: number) {
    const message = await getMessage(getDb(this.env), this.name, seq);
    if (message) this.#broadcastChat({ type: "chat.updated", message });
  }

  /** Checks a message body. When it cannot be stored, sends a German error and returns false. */
  #checkBody(connection: RoomConnection, body: string, clientId?: string): boolean {
    if (body.trim() === "") {
      this.#reject(connection, "body_empty", "empty message body", clientId, messages.chatBodyEmpty);
      return false;
    }
    const chars = countChars(body);
    if (chars > CHAT_MAX_CHARS) {
      this.#reject(
        connection,
        "body_too_long",
        `message body of ${chars} characters`,
        clientId,
        messages.chatBodyTooLong(GERMAN_NUMBER_FORMAT.format(CHAT_MAX_CHARS)),
      );
      return false;
    }
    return true;
  }

  /**
   * Hands a stored message to the e-mail notifications and the staff live
   * view. Both log their own failures and do not throw. The catch in
   * `#runInBackground` guards against a change of that contract, because
   * the message is already stored and broadcast.
   */
  #afterMessageStored(message: ChatMessage) {
    const presentUserIds = [...new Set(this.#presence().map((user) => user.userId))];
    this.#runInBackground("notify chat message", notifyChatMessage(this.env, {
      orderId: this.name,
      seq: message.seq,
      authorId: message.authorId,
      presentUserIds,
    }));
    this.#runInBackground("report message activity", reportOrderActivity(this.env, {
      type: "message",
      orderId: this.name,
      seq: message.seq,
      authorId: message.authorId,
      authorRole: message.authorRole,
      at: message.createdAt,
    }));
  }

  #reportPresence(present: PresenceUser[]) {
    this.#runInBackground("report presence activity", reportOrderActivity(this.env, {
      type: "presence",
      orderId: this.name,
      present: present.map(({ userId, name, role, tabs }) => ({ userId, name, role, tabs })),
    }));
  }

  #runInBackground(task: string, promise: Promise<void>) {
    this.ctx.waitUntil(
      promise.catch((error: unknown) => {
        console.error("order-room: background task failed", { orderId: this.name, task, error: String(error) });
      }),
    );
  }

  /** Logs a rejected frame in English and sends a German error frame to its connection. */
  #reject(connection: RoomConnection, code: ChatErrorCode, reason: string, clientId?: string, germanMessage?: string) {
    console.warn("order-room: rejected client frame", { orderId: this.name, connectionId: connection.id, code, reason });
    this.#sendError(connection, code, germanMessage ?? defaultErrorMessage(code), clientId);
  }

  #sendError(connection: RoomConnection, code: ChatErrorCode, message: string, clientId?: string) {
    this.#send(connection, clientId === undefined ? { type: "error", code, message } : { type: "error", code, message, clientId });
  }

  #send(connection: RoomConnection, frame: ChatServerFrame) {
    try {
      connection.send(JSON.stringify(frame));
    } catch (error) {
      console.warn("order-room: send failed", { orderId: this.name, connectionId: connection.id, error: String(error) });
    }
  }

  /** Sends a chat frame to every connection that has sent `hello`. */
  #broadcastChat(frame: ChatServerFrame, exceptConnectionId?: string) {
    const text = JSON.stringify(frame);
    for (const connection of this.getConnections<ConnectionState>()) {
      if (connection.id === exceptConnectionId || !connection.state?.joined) continue;
      try {
        connection.send(text);
      } catch (error) {
        console.warn("order-room: send failed", { orderId: this.name, connectionId: connection.id, error: String(error) });
      }
    }
  }

  #broadcastPresence(closingConnectionId?: string) {
    const users = this.#presence(closingConnectionId);
    this.#broadcastChat({ type: "presence", users }, closingConnectionId);
    this.#reportPresence(users);
  }

  /** Computes the presence list from the open sockets: one entry per user, with the number of open tabs. */
  #presence(closingConnectionId?: string): PresenceUser[] {
    const byUser = new Map<string, PresenceUser>();
    for (const connection of this.getConnections<ConnectionState>()) {
      const state = connection.state;
      if (!state || connection.id === closingConnectionId) continue;
      const present = byUser.get(state.userId);
      if (present) present.tabs += 1;
      else byUser.set(state.userId, { userId: state.userId, name: state.name, salutation: state.salutation, role: state.role, tabs: 1 });
    }
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name, "de"));
  }
}

/** Records a frame of the connection in `recent` and returns false when the connection is over `limit` within RATE_WINDOW_MS. */
function takeToken(recent: Map<string, number[]>, connectionId: string, limit: number): boolean {
  const now = Date.now();
  const times = (recent.get(connectionId) ?? []).filter((time) => now - time < RATE_WINDOW_MS);
  const allowed = times.length < limit;
  if (allowed) times.push(now);
  recent.set(connectionId, times);
  return allowed;
}

/** Describes validation issues by path and expected type only, so that no message text reaches the logs. */
function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => `${issue.path?.map((item) => String(item.key)).join(".") || "frame"}: expected ${issue.expected ?? issue.kind}`)
    .join("; ");
}

function clientIdOf(frame: ClientFrame): string | undefined {
  return frame.type === "chat.send" ? frame.clientId : undefined;
}

function defaultErrorMessage(code: ChatErrorCode): string {
  switch (code) {
    case "frame_too_large":
      return messages.chatFrameTooLarge;
    case "rate_limited":
      return messages.chatRateLimited;
    case "body_empty":
      return messages.chatBodyEmpty;
    case "body_too_long":
      return messages.chatBodyTooLong(GERMAN_NUMBER_FORMAT.format(CHAT_MAX_CHARS));
    case "forbidden":
      return messages.chatPinForbidden;
    case "not_found":
      return messages.chatMessageNotFound;
    case "edit_window_over":
      return messages.chatEditWindowOver;
    case "internal":
      return messages.chatFailed;
    case "invalid_frame":
      return messages.chatFrameInvalid;
  }
}
