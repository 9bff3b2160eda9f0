import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";

import { formatDateTime } from "~/format";
import { messages as texts, roleLabel } from "~/messages";
import { CHAT_EDIT_WINDOW_MS, CHAT_MAX_CHARS, countChars, type ChatMessage, type PresenceUser } from "~/room/events";
import type { ChatViewer, OrderChatState } from "~/room/use-order-chat";

const numberFormat = new Intl.NumberFormat("de-DE");
// Only https links are made clickable, so that no message can link to javascript: or data:.
const URL_PATTERN = /https:\/\/[^\s<>"]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/** Splits a message body into text and links to https URLs; line breaks stay in the text (CSS pre-wrap). */
export function linkify(body: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, "");
    const start = match.index;
    if (url === "https://") continue;
    if (start > last) parts.push(body.slice(last, start));
    parts.push(
      <a key={start} href={url} target="_blank" rel="noopener noreferrer nofollow">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < body.length) parts.push(body.slice(last));
  return parts;
}

function personName(person: { name: string; salutation: string | null }) {
  return [person.salutation, person.name].filter(Boolean).join(" ");
}

function PresenceLine({ users, viewerId }: { users: PresenceUser[]; viewerId: string }) {
  const others = users.filter((user) => user.userId !== viewerId);
  if (others.length === 0) return null;
  return (
    <ul className="chat-presence" aria-label="Gerade im Auftrag">
      {others.map((user) => (
        <li key={user.userId}>
          {personName(user)} ({roleLabel(user.role, user.salutation)}) ist gerade im Auftrag
        </li>
      ))}
    </ul>
  );
}

interface MessageItemProps {
  message: ChatMessage;
  viewer: ChatViewer;
  readByOtherSide: boolean;
  chat: OrderChatState;
}

function MessageItem({ message, viewer, readByOtherSide, chat }: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.body);
  const own = message.authorId === viewer.userId;
  const staff = viewer.role !== "customer";
  const canEdit = own && Date.now() - message.createdAt < CHAT_EDIT_WINDOW_MS;

  const draftChars = countChars(draft);
  let editProblem: string | null = null;
  if (draft.trim() === "") editProblem = texts.chatBodyEmpty;
  if (draftChars > CHAT_MAX_CHARS) editProblem = texts.chatBodyTooLongHint(CHAT_MAX_CHARS.toLocaleString("de-DE"));

  function saveEdit(event: FormEvent) {
    event.preventDefault();
    if (editProblem) return;
    if (chat.edit(message.seq, draft)) setEditing(false);
  }

  return (
    <li className={own ? "chat-message chat-message-own" : "chat-message"} data-seq={message.seq}>
      <p className="chat-meta">
        <strong className="chat-author">{personName({ name: message.authorName, salutation: message.authorSalutation })}</strong>{" "}
        <span className="chat-role">({roleLabel(message.authorRole, message.authorSalutation)})</span>{" "}
        <time dateTime={new Date(message.createdAt).toISOString()}>{formatDateTime(message.createdAt)}</time>
        {message.editedAt ? <span className="chat-edited"> · bearbeitet</span> : null}
        {message.pinnedAt ? <span className="chat-pinned"> · Notiz</span> : null}
        {own && readByOtherSide ? <span className="chat-read"> · gelesen</span> : null}
      </p>
      {editing ? (
        <form className="chat-edit" onSubmit={saveEdit}>
          <textarea aria-label="Nachricht bearbeiten" value={draft} onChange={(event) => setDraft(event.target.value)} rows={3} />
          {editProblem ? (
            <p className="form-error" role="alert">
              {editProblem}
            </p>
          ) : null}
          <button type="submit" disabled={editProblem !== null}>
            Speichern
          </button>{" "}
          <button type="button" onClick={() => setEditing(false)}>
            Abbrechen
          </button>
        </form>
      ) : (
        <p className="chat-body">{linkify(message.body)}</p>
      )}
      {!editing && (canEdit || staff) ? (
        <p className="chat-actions">
          {canEdit ? (
            <button type="button" className="link-button" onClick={() => {
                setDraft(message.body);
                setEditing(true);
              }}>
              Bearbeiten
            </button>
          ) : null}{" "}
          {staff ? (
            <button type="button" className="link-button" onClick={() => chat.pin(message.seq, !message.pinnedAt)}>
              {message.pinnedAt ? "Notiz lösen" : "Als Notiz anheften"}
            </button>
          ) : null}
        </p>
      ) : null}
    </li>
  );
}

/** Renders the order's chat panel: presence, pinned notes, messages, unsent messages and the input. */
export function OrderChat({ chat, viewer }: { chat: OrderChatState; viewer: ChatViewer }) {
  const [draft, setDraft] = useState("");
  const chars = countChars(draft);
  const tooLong = chars > CHAT_MAX_CHARS;
  const otherSideReadSeq = viewer.role === "customer" ? chat.reads.staff : chat.reads.customer;
  const pinned = chat.messages.filter((message) => message.pinnedAt);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (chat.send(draft)) setDraft("");
  }

  function submitOnEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <section aria-labelledby="chat-heading" className="order-chat">
      <h2 id="chat-heading">Nachrichten</h2>
      <PresenceLine users={chat.presence} viewerId={viewer.userId} />
      {chat.offline ? (
        <p className="chat-offline" role="status">
          {texts.chatOffline}
        </p>
      ) : null}
      {pinned.length > 0 ? (
        <div className="chat-notes">
          <h3>Notizen zum Auftrag</h3>
          <ul>
            {pinned.map((message) => (
              <li key={message.seq} className="chat-body">
                {linkify(message.body)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {chat.messages.length === 0 && chat.outbox.length === 0 ? (
        <p className="empty">
          {viewer.role === "customer"
            ? "Noch keine Nachrichten. Schreiben Sie uns, wenn Sie Fragen zum Auftrag haben."
            : "Noch keine Nachrichten in diesem Auftrag."}
        </p>
      ) : (
        <ol className="chat-messages" aria-label="Nachrichtenverlauf">
          {chat.messages.map((message) => (
            <MessageItem
              key={message.seq}
              message={message}
              viewer={viewer}
              readByOtherSide={message.seq <= otherSideReadSeq}
              chat={chat}
            />
          ))}
          {chat.outbox.map((item) => (
            <li key={item.clientId} className="chat-message chat-message-own chat-message-pending" data-client-id={item.clientId}>
              <p className="chat-meta">
                <span className="chat-pending">wird gesendet …</span>
              </p>
              <p className="chat-body">{linkify(item.body)}</p>
            </li>
          ))}
        </ol>
      )}
      {chat.error ? (
        <p className="form-error" role="alert">
          {chat.error}
        </p>
      ) : null}
      <form className="chat-form" onSubmit={submit}>
        <label htmlFor="chat-input">Nachricht</label>
        <textarea
          id="chat-input"
          value={draft}
          rows={3}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={submitOnEnter}
          aria-describedby="chat-counter"
        />
        <p id="chat-counter" className={tooLong ? "chat-counter form-error" : "chat-counter muted"}>
          {numberFormat.format(chars)} / {numberFormat.format(CHAT_MAX_CHARS)} Zeichen
          {tooLong ? ` – ${texts.chatBodyTooLongHint(numberFormat.format(CHAT_MAX_CHARS))}` : null}
        </p>
        <button type="submit" disabled={tooLong || draft.trim() === ""}>
          Senden
        </button>
      </form>
    </section>
  );
}
