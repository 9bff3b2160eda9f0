import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { countUnreadChatMessages } from "~/orders/queries.server";
import { chatMessages, chatReads, sessions } from "~/db/schema";
import { messages } from "~/messages";
import { CHAT_MAX_CHARS } from "~/room/events";
import type { OrderRoom } from "../party/order-room";
import { connectChat, type ChatClient } from "../tests/support/chat-socket";
import { demoOrder, demoUser, seedDemo, sessionCookieFor } from "../tests/support/fixtures";
import { waitFor } from "../tests/support/room-socket";

let data: Awaited<ReturnType<typeof seedDemo>>;
let customer: ReturnType<typeof demoUser>;
let manager: ReturnType<typeof demoUser>;
let prepress: ReturnType<typeof demoUser>;

beforeAll(async () => {
  data = await seedDemo();
  customer = demoUser(data, "kunde@example.com");
  manager = demoUser(data, "auftragsmanager@example.com");
  prepress = demoUser(data, "druckvorstufe@example.com");
});

/** Returns the id of the demo order with this offer number. Tests that check absolute seq numbers use an order of their own. */
function orderOf(offerNumber: string) {
  return demoOrder(data, offerNumber).id;
}

async function storedMessages(orderId: string) {
  return getDb(env)
    .select({ seq: chatMessages.seq, authorId: chatMessages.authorId, body: chatMessages.body, clientId: chatMessages.clientId })
    .from(chatMessages)
    .where(eq(chatMessages.orderId, orderId))
    .orderBy(chatMessages.seq);
}

function closeAll(...clients: ChatClient[]) {
  for (const client of clients) client.close();
}

describe("order chat", () => {
  it("orders messages of two senders the same for everyone", async () => {
    const orderId = orderOf("42793.04");
    const alice = await connectChat(orderId, await sessionCookieFor(customer.id));
    const bob = await connectChat(orderId, await sessionCookieFor(manager.id));

    for (let index = 0; index < 5; index++) {
      alice.send({ type: "chat.send", clientId: `alice-${index}`, body: `Kunde ${index}` });
      bob.send({ type: "chat.send", clientId: `bob-${index}`, body: `Managerin ${index}` });
    }
    const aliceMessages = await alice.waitForType("chat.message", 10);
    const bobMessages = await bob.waitForType("chat.message", 10);

    const seqs = aliceMessages.map((frame) => frame.message.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(bobMessages.map((frame) => frame.message)).toEqual(aliceMessages.map((frame) => frame.message));
    const stored = await storedMessages(orderId);
    expect(stored.map((row) => row.seq)).toEqual(seqs);
    expect(stored.map((row) => row.clientId)).toEqual(aliceMessages.map((frame) => frame.message.clientId));
    // Each sender's own messages keep the order in which they were sent.
    expect(aliceMessages.map((frame) => frame.message.clientId).filter((id) => id.startsWith("alice"))).toEqual(
      [0, 1, 2, 3, 4].map((index) => `alice-${index}`),
    );

    const first = aliceMessages.find((frame) => frame.message.clientId === "bob-0")!.message;
    expect(first.authorId).toBe(manager.id);
    expect(first.authorName).toBe("Sabine Keller");
    expect(first.authorSalutation).toBe("Frau");
    expect(first.authorRole).toBe("manager");
    closeAll(alice, bob);
  });

  it("sends exactly the missed messages on reconnect", async () => {
    const orderId = orderOf("42793.03");
    const cookie = await sessionCookieFor(customer.id);
    const sender = await connectChat(orderId, await sessionCookieFor(manager.id));
    for (let index = 1; index <= 6; index++) sender.send({ type: "chat.send", clientId: `catch-up-${index}`, body: `Nachricht ${index}` });
    await sender.waitForType("chat.message", 6);

    const reconnecting = await connectChat(orderId, cookie, 4);
    const [history] = reconnecting.ofType("chat.history");
    expect(history.messages.map((message) => message.seq)).toEqual([5, 6]);
    expect(history.lastSeq).toBe(6);
    expect(history.updated).toEqual([]);

    const fresh = await connectChat(orderId, cookie, 0);
    expect(fresh.ofType("chat.history")[0].messages.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5, 6]);

    const upToDate = await connectChat(orderId, cookie, 6);
    expect(upToDate.ofType("chat.history")[0].messages).toEqual([]);
    closeAll(sender, reconnecting, fresh, upToDate);
  });

  it("stores a resend with the same clientId once", async () => {
    const orderId = orderOf("42793.02");
    const cookie = await sessionCookieFor(customer.id);
    const first = await connectChat(orderId, cookie);
    first.send({ type: "chat.send", clientId: "offline-1", body: "Bitte Korrekturabzug schicken" });
    const [sent] = await first.waitForType("chat.message", 1);
    first.close();

    // The browser resends its queue after a reconnect, on a new socket.
    const second = await connectChat(orderId, cookie, 0);
    const listener = await connectChat(orderId, await sessionCookieFor(manager.id));
    second.send({ type: "chat.send", clientId: "offline-1", body: "Bitte Korrekturabzug schicken" });
    const [resent] = await second.waitForType("chat.message", 1);

    expect(resent.message).toEqual(sent.message);
    expect(await storedMessages(orderId)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listener.ofType("chat.message")).toEqual([]);
    closeAll(second, listener);
  });

  it("rejects a pin by a customer", async () => {
    const orderId = orderOf("42793.05");
    const client = await connectChat(orderId, await sessionCookieFor(customer.id));
    client.send({ type: "chat.send", clientId: "pin-me", body: "Lieferadresse: Hafenstraße 1" });
    await client.waitForType("chat.message");

    client.send({ type: "chat.pin", seq: 1, pinned: true });
    const [error] = await client.waitForType("error");
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe("Nur das Team der Druckerei kann Nachrichten als Notiz anheften.");
    const stored = await getDb(env).select().from(chatMessages).where(eq(chatMessages.orderId, orderId)).get();
    expect(stored?.pinnedAt).toBeNull();

    const staff = await connectChat(orderId, await sessionCookieFor(prepress.id));
    staff.send({ type: "chat.pin", seq: 1, pinned: true });
    const [updated] = await client.waitForType("chat.updated");
    expect(updated.message.seq).toBe(1);
    expect(updated.message.pinnedAt).toEqual(expect.any(Number));
    closeAll(client, staff);
  });

  it("closes a socket whose session ended", async () => {
    const orderId = orderOf("42810.01");
    const cookie = await sessionCookieFor(customer.id);
    const client = await connectChat(orderId, cookie);
    const closed = new Promise<number>((resolve) => client.socket.addEventListener("close", (event) => resolve(event.code)));

    // "Abmelden" on another device, a password change and a deactivation all delete the session row.
    const sessionId = encodeHexLowerCase(sha256(new TextEncoder().encode(cookie.split("=")[1])));
    await getDb(env).delete(sessions).where(eq(sessions.id, sessionId));
    client.send({ type: "chat.send", clientId: "after-logout", body: "Noch da?" });

    const [error] = await client.waitForType("error");
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe(messages.notSignedIn);
    expect(await closed).toBe(1008);
    expect((await storedMessages(orderId)).filter((message) => message.clientId === "after-logout")).toEqual([]);
  });

  it("lets only the author edit, marked as edited", async () => {
    const orderId = orderOf("42793.05");
    const author = await connectChat(orderId, await sessionCookieFor(customer.id));
    const other = await connectChat(orderId, await sessionCookieFor(manager.id));
    author.send({ type: "chat.send", clientId: "edit-me", body: "Auflage 500" });
    const [sent] = await author.waitForType("chat.message");
    const seq = sent.message.seq;

    other.send({ type: "chat.edit", seq, body: "Auflage 5" });
    const [error] = await other.waitForType("error");
    expect(error.code).toBe("forbidden");

    author.send({ type: "chat.edit", seq, body: "Auflage 1.000" });
    const [updated] = await other.waitForType("chat.updated");
    expect(updated.message.body).toBe("Auflage 1.000");
    expect(updated.message.editedAt).toEqual(expect.any(Number));
    closeAll(author, other);
  });

  it("limits a flood of messages per connection", async () => {
    const orderId = orderOf("42810.01");
    const client = await connectChat(orderId, await sessionCookieFor(customer.id));
    for (let index = 0; index < 100; index++) client.send({ type: "chat.send", clientId: `flood-${index}`, body: `Flut ${index}` });

    await client.waitForType("error", 90);
    await client.waitForType("chat.message", 10);
    const errors = client.ofType("error");
    expect(errors.every((error) => error.code === "rate_limited")).toBe(true);
    expect(errors[0].message).toBe("Sie senden zu viele Nachrichten auf einmal. Bitte warten Sie einige Sekunden und versuchen Sie es erneut.");
    expect(errors[0].clientId).toBe("flood-10");
    expect(await storedMessages(orderId)).toHaveLength(10);
    client.close();
  });

  it("rejects oversized, malformed and unknown frames", async () => {
    const orderId = orderOf("42810.01");
    const client = await connectChat(orderId, await sessionCookieFor(manager.id));
    const before = (await storedMessages(orderId)).length;

    client.sendRaw(JSON.stringify({ type: "chat.send", clientId: "huge", body: "x".repeat(70 * 1024) }));
    client.sendRaw("{not json");
    client.send({ type: "chat.delete", seq: 1 });
    client.send({ type: "chat.send", clientId: 42, body: "falscher Typ" });
    const errors = await client.waitForType("error", 4);
    expect(errors.map((error) => error.code)).toEqual(["frame_too_large", "invalid_frame", "invalid_frame", "invalid_frame"]);
    expect(errors[0].message).toBe("Die Nachricht ist zu groß und wurde nicht gesendet.");

    // The room still works after the bad frames.
    client.send({ type: "chat.send", clientId: "after-bad-frames", body: "Noch da?" });
    await client.waitForType("chat.message");
    expect(await storedMessages(orderId)).toHaveLength(before + 1);
    client.close();
  });

  it("accepts 5,000 characters and rejects one more", async () => {
    const orderId = orderOf("42901.01");
    const client = await connectChat(orderId, await sessionCookieFor(prepress.id));
    // Emoji count as one character each, like the counter in the browser.
    const longest = "ä".repeat(CHAT_MAX_CHARS - 2) + "📄📄";
    client.send({ type: "chat.send", clientId: "longest", body: longest });
    const [stored] = await client.waitForType("chat.message");
    expect(stored.message.body).toBe(longest);

    client.send({ type: "chat.send", clientId: "too-long", body: "a".repeat(CHAT_MAX_CHARS + 1) });
    const [error] = await client.waitForType("error");
    expect(error.code).toBe("body_too_long");
    expect(error.clientId).toBe("too-long");
    expect(error.message).toBe("Die Nachricht ist zu lang. Höchstens 5.000 Zeichen sind möglich; sie wurde nicht gesendet.");

    client.send({ type: "chat.send", clientId: "blank", body: "  \n " });
    const errors = await client.waitForType("error", 2);
    expect(errors[1].code).toBe("body_empty");
    expect((await storedMessages(orderId)).map((row) => row.clientId)).toEqual(["longest"]);
    client.close();
  });

  it("stores markup and line breaks as plain text", async () => {
    const orderId = orderOf("42901.01");
    const client = await connectChat(orderId, await sessionCookieFor(prepress.id));
    const body = '<script>alert("x")</script>\n**fett** [Link](javascript:alert(1))\nZeile 3';
    client.send({ type: "chat.send", clientId: "markup", body });
    const [frame] = await client.waitForType("chat.message");
    expect(frame.message.body).toBe(body);
    const rows = await storedMessages(orderId);
    expect(rows.find((row) => row.clientId === "markup")?.body).toBe(body);
    client.close();
  });

  it("stores read state and reports it to the other side", async () => {
    const orderId = orderOf("42793.03");
    const staff = await connectChat(orderId, await sessionCookieFor(manager.id));
    const reader = await connectChat(orderId, await sessionCookieFor(customer.id));
    const lastSeq = reader.ofType("chat.history")[0].lastSeq;
    expect(lastSeq).toBeGreaterThan(0);

    reader.send({ type: "chat.read", seq: lastSeq + 50 });
    const [reads] = await staff.waitForType("chat.reads");
    expect(reads.reads.customer).toBe(lastSeq);

    const row = await getDb(env)
      .select()
      .from(chatReads)
      .where(and(eq(chatReads.orderId, orderId), eq(chatReads.userId, customer.id)))
      .get();
    expect(row?.lastReadSeq).toBe(lastSeq);

    // A read state never moves back.
    reader.send({ type: "chat.read", seq: 1 });
    const all = await staff.waitForType("chat.reads", 2);
    expect(all[1].reads.customer).toBe(lastSeq);
    closeAll(staff, reader);
  });

  it("shows who is present, with tabs", async () => {
    const orderId = orderOf("42793.02");
    const customerCookie = await sessionCookieFor(customer.id);
    const watcher = await connectChat(orderId, await sessionCookieFor(manager.id));
    const tab1 = await connectChat(orderId, customerCookie);
    const tab2 = await connectChat(orderId, customerCookie);

    await waitFor(() => watcher.ofType("presence").at(-1)?.users.find((user) => user.userId === customer.id)?.tabs === 2);
    const present = watcher.ofType("presence").at(-1)!.users.find((user) => user.userId === customer.id)!;
    expect(present).toEqual({ userId: customer.id, name: "Jana Beispiel", salutation: "Frau", role: "customer", tabs: 2 });

    tab1.close();
    await waitFor(() => watcher.ofType("presence").at(-1)?.users.find((user) => user.userId === customer.id)?.tabs === 1);
    tab2.close();
    await waitFor(() => watcher.ofType("presence").at(-1)?.users.every((user) => user.userId !== customer.id) === true);
    watcher.close();
  });

  it("keeps order, sender and presence across hibernation", async () => {
    const orderId = orderOf("42793.04");
    const stub = env.OrderRoom.getByName(orderId);
    const customerClient = await connectChat(orderId, await sessionCookieFor(customer.id));
    const staffClient = await connectChat(orderId, await sessionCookieFor(manager.id));
    const lastSeq = customerClient.ofType("chat.history")[0].lastSeq;

    customerClient.send({ type: "chat.send", clientId: "before-hibernation", body: "Vor dem Schlaf" });
    await staffClient.waitForType("chat.message", 1);

    await evictDurableObject(stub, { webSockets: "hibernate" });

    staffClient.send({ type: "chat.send", clientId: "after-hibernation", body: "Nach dem Schlaf" });
    const messages = await customerClient.waitForType("chat.message", 2);
    expect(messages.map((frame) => frame.message.seq)).toEqual([lastSeq + 1, lastSeq + 2]);
    expect(messages[1].message.authorId).toBe(manager.id);
    expect(messages[1].message.authorName).toBe("Sabine Keller");

    // Presence after the wake-up is computed from the hibernated sockets' attachments.
    const third = await connectChat(orderId, await sessionCookieFor(prepress.id));
    const presence = third.ofType("presence").at(-1)!;
    expect(presence.users.map((user) => user.userId).sort()).toEqual([customer.id, manager.id, prepress.id].sort());
    closeAll(customerClient, staffClient, third);
  });

  it("prunes a silent connection on the alarm", async () => {
    const orderId = orderOf("42810.01");
    const stub = env.OrderRoom.getByName(orderId);
    const active = await connectChat(orderId, await sessionCookieFor(manager.id));
    const silent = await connectChat(orderId, await sessionCookieFor(customer.id));
    await waitFor(() => active.ofType("presence").at(-1)?.users.some((user) => user.userId === customer.id) === true);

    await runInDurableObject(stub, (room: OrderRoom) => {
      room.staleAfterMs = 50;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The active page proves it is alive with a frame; the silent one sends nothing.
    active.send({ type: "chat.read", seq: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    await waitFor(() => active.ofType("presence").at(-1)?.users.every((user) => user.userId !== customer.id) === true);
    expect(active.ofType("presence").at(-1)!.users.map((user) => user.userId)).toEqual([manager.id]);
    closeAll(active, silent);
  });

  it("counts unread messages for the overview", async () => {
    // The Nordlicht order got two stored prepress messages in the tests above.
    const orderId = orderOf("42901.01");
    const otherCustomer = demoUser(data, "kunde2@example.com");
    const db = getDb(env);
    expect((await countUnreadChatMessages(db, otherCustomer)).get(orderId)).toBe(2);
    expect((await countUnreadChatMessages(db, customer)).has(orderId)).toBe(false);
    // Own messages never count as unread.
    expect((await countUnreadChatMessages(db, prepress)).has(orderId)).toBe(false);

    const staff = await connectChat(orderId, await sessionCookieFor(manager.id));
    const reader = await connectChat(orderId, await sessionCookieFor(otherCustomer.id));
    reader.send({ type: "chat.read", seq: reader.ofType("chat.history")[0].lastSeq });
    const [reads] = await staff.waitForType("chat.reads");
    expect(reads.reads.customer).toBe(2);
    expect((await countUnreadChatMessages(db, otherCustomer)).has(orderId)).toBe(false);
    expect((await countUnreadChatMessages(db, manager)).get(orderId)).toBe(2);
    closeAll(reader, staff);
  });

  it("answers heartbeat pings", async () => {
    const orderId = orderOf("42810.01");
    const client = await connectChat(orderId, await sessionCookieFor(manager.id));
    client.sendRaw("ping");
    await waitFor(() => client.otherFrames.includes("pong"));
    client.close();
  });
});
