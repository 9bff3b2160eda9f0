import { useCallback, useEffect, useRef, useState } from "react";

import type { UserRole } from "~/db/values";

import {
  CHAT_MAX_CHARS,
  countChars,
  HEARTBEAT_PING,
  type ChatMessage,
  type ChatReads,
  type ChatServerFrame,
  type ClientFrame,
  type PresenceUser,
} from "./events";
import { useOrderRoom } from "./use-order-room";

/** A message written in this browser that the room has not confirmed yet. */
export interface OutboxItem {
  clientId: string;
  body: string;
  createdAt: number;
}

export interface ChatViewer {
  userId: string;
  role: UserRole;
}

const HEARTBEAT_INTERVAL_MS = 25_000;
/** A rate-limited outbox is sent again after this delay. */
const RATE_LIMIT_RETRY_MS = 10_000;

function outboxKey(orderId: string, userId: string) {
  return `portal-chat-outbox:${orderId}:${userId}`;
}

function readOutbox(key: string): OutboxItem[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(key) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (item): item is OutboxItem =>
        typeof item?.clientId === "string" && typeof item?.body === "string" && typeof item?.createdAt === "number",
    );
  } catch {
    return [];
  }
}

function writeOutbox(key: string, outbox: OutboxItem[]) {
  try {
    if (outbox.length === 0) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(outbox));
  } catch (error) {
    console.warn("order-chat: storing the outbox failed", { error: String(error) });
  }
}

function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current;
  const bySeq = new Map(current.map((message) => [message.seq, message]));
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Runs the order page's chat: messages by seq, the outbox of unconfirmed messages
 * (kept in localStorage, so that a message written offline is sent after a
 * reconnect or a reload), presence and read state. It shares the order
 * room's socket with the live file events.
 */
export function useOrderChat(orderId: string, viewer: ChatViewer) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [outbox, setOutbox] = useState<OutboxItem[]>([]);
  const [presence, setPresence] = useState<PresenceUser[]>([]);
  const [reads, setReads] = useState<ChatReads>({ customer: 0, staff: 0 });
  const [connected, setConnected] = useState(false);
  // Before the first connection the page is still loading, which is not shown as offline.
  const [wasConnected, setWasConnected] = useState(false);
  const [online, setOnline] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const lastSeqRef = useRef(0);
  const ownReadSeqRef = useRef(0);
  const joinedRef = useRef(false);
  const outboxRef = useRef<OutboxItem[]>([]);
  const key = outboxKey(orderId, viewer.userId);

  const updateOutbox = useCallback(
    (change: (current: OutboxItem[]) => OutboxItem[]) => {
      outboxRef.current = change(outboxRef.current);
      writeOutbox(key, outboxRef.current);
      setOutbox(outboxRef.current);
    },
    [key],
  );

  const socketRef = useRef<ReturnType<typeof useOrderRoom> | null>(null);

  const sendFrame = useCallback((frame: ClientFrame): boolean => {
    const socket = socketRef.current;
    if (!socket || socket.readyState !== WebSocket.OPEN || !navigator.onLine) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }, []);

  const flushOutbox = useCallback(() => {
    if (!joinedRef.current) return;
    for (const item of outboxRef.current) {
      if (!sendFrame({ type: "chat.send", clientId: item.clientId, body: item.body })) return;
    }
  }, [sendFrame]);

  const markRead = useCallback(() => {
    if (document.visibilityState !== "visible") return;
    const seq = lastSeqRef.current;
    if (seq > ownReadSeqRef.current && sendFrame({ type: "chat.read", seq })) ownReadSeqRef.current = seq;
  }, [sendFrame]);

  const receive = useCallback(
    (incoming: ChatMessage[]) => {
      if (incoming.length === 0) return;
      lastSeqRef.current = Math.max(lastSeqRef.current, ...incoming.map((message) => message.seq));
      setMessages((current) => mergeMessages(current, incoming));
      const confirmed = new Set(incoming.filter((message) => message.authorId === viewer.userId).map((message) => message.clientId));
      if (outboxRef.current.some((item) => confirmed.has(item.clientId))) {
        updateOutbox((current) => current.filter((item) => !confirmed.has(item.clientId)));
      }
    },
    [updateOutbox, viewer.userId],
  );

  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const handleFrame = useCallback(
    (frame: ChatServerFrame) => {
      switch (frame.type) {
        case "chat.history":
          joinedRef.current = true;
          ownReadSeqRef.current = frame.ownLastReadSeq;
          receive(frame.messages);
          setMessages((current) => mergeMessages(current, frame.updated));
          setReads(frame.reads);
          flushOutbox();
          markRead();
          return;
        case "chat.message":
          receive([frame.message]);
          markRead();
          return;
        case "chat.updated":
          setMessages((current) => mergeMessages(current, [frame.message]));
          return;
        case "chat.reads":
          setReads(frame.reads);
          return;
        case "presence":
          setPresence(frame.users);
          return;
        case "error":
          setError(frame.message);
          if (frame.clientId === undefined) return;
          if (frame.code === "rate_limited" || frame.code === "internal") {
            // The message stays in the outbox and goes out again a little later.
            if (retryTimer.current === null) {
              retryTimer.current = setTimeout(() => {
                retryTimer.current = null;
                flushOutbox();
              }, RATE_LIMIT_RETRY_MS);
            }
            return;
          }
          // The room rejected this message for good, so it leaves the outbox and the error explains why.
          updateOutbox((current) => current.filter((item) => item.clientId !== frame.clientId));
          return;
        default: {
          const unknown: never = frame;
          console.warn("order-chat: unhandled frame", { orderId, frame: unknown });
        }
      }
    },
    [flushOutbox, markRead, orderId, receive, updateOutbox],
  );

  const socket = useOrderRoom(orderId, {
    onChatFrame: handleFrame,
    onOpen() {
      setConnected(true);
      setWasConnected(true);
      joinedRef.current = false;
      socketRef.current?.send(JSON.stringify({ type: "hello", lastSeq: lastSeqRef.current } satisfies ClientFrame));
    },
    onClose() {
      setConnected(false);
      joinedRef.current = false;
    },
  });
  socketRef.current = socket;

  // The outbox of an earlier visit (written offline, then closed) is sent with this page's socket.
  useEffect(() => {
    outboxRef.current = readOutbox(key);
    setOutbox(outboxRef.current);
    flushOutbox();
  }, [flushOutbox, key]);

  useEffect(() => {
    setOnline(navigator.onLine);
    const goOffline = () => setOnline(false);
    const goOnline = () => {
      setOnline(true);
      // A socket may look open after the network is back while it is dead; a fresh one catches up from lastSeq.
      socketRef.current?.reconnect();
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    document.addEventListener("visibilitychange", markRead);
    const heartbeat = setInterval(() => {
      if (socketRef.current?.readyState === WebSocket.OPEN && navigator.onLine) socketRef.current.send(HEARTBEAT_PING);
    }, HEARTBEAT_INTERVAL_MS);
    return () => {
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      document.removeEventListener("visibilitychange", markRead);
      clearInterval(heartbeat);
      if (retryTimer.current !== null) clearTimeout(retryTimer.current);
    };
  }, [markRead]);

  /** Queues a message and sends it now if the room is reachable; returns false for a body the room would reject. */
  const send = useCallback(
    (body: string): boolean => {
      if (body.trim() === "" || countChars(body) > CHAT_MAX_CHARS) return false;
      const item: OutboxItem = { clientId: crypto.randomUUID(), body, createdAt: Date.now() };
      updateOutbox((current) => [...current, item]);
      setError(null);
      if (joinedRef.current) sendFrame({ type: "chat.send", clientId: item.clientId, body: item.body });
      return true;
    },
    [sendFrame, updateOutbox],
  );

  const edit = useCallback((seq: number, body: string) => sendFrame({ type: "chat.edit", seq, body }), [sendFrame]);
  const pin = useCallback((seq: number, pinned: boolean) => sendFrame({ type: "chat.pin", seq, pinned }), [sendFrame]);

  return {
    messages,
    outbox,
    presence,
    reads,
    error,
    dismissError: () => setError(null),
    offline: !online || (wasConnected && !connected),
    send,
    edit,
    pin,
  };
}

export type OrderChatState = ReturnType<typeof useOrderChat>;
