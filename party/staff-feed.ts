import { Server, type Connection, type ConnectionContext } from "partyserver";
import * as v from "valibot";

import {
  orderActivitySchema,
  presentUserSchema,
  type FeedFrame,
  type OrderActivity,
  type OrderSummary,
  type PresentUser,
} from "~/room/staff-feed-events";

import { ROOM_USER_HEADER } from "./order-room";

/** An order drops out of the feed after this long without activity. */
export const ACTIVITY_RETENTION_MS = 24 * 60 * 60 * 1000;

const ACTIVE_CHECK_STATES = ["queued", "running"];

const feedUserSchema = v.object({
  userId: v.string(),
  role: v.string(),
});

type FeedUser = v.InferOutput<typeof feedUserSchema>;

type SummaryRow = {
  order_id: string;
  present_json: string;
  unread_messages: number;
  last_activity_at: number;
  uploads_in_progress: number;
  checks_running: number;
  checks_failed: number;
};

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Staff overview of activity across all orders, one instance for the whole
 * deployment (named "staff"). Server code reports activity over RPC
 * (`report`), and the feed keeps a summary per order in its own SQLite
 * storage. Every connecting staff socket gets a snapshot, and every changed
 * summary is broadcast. Orders without activity for 24 hours drop out, driven
 * by an alarm.
 *
 * Unread messages are the customer messages with a higher seq than the last
 * message that any staff member wrote or read in the order.
 */
export class StaffFeed extends Server<Env> {
  static options = { hibernate: true };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS order_activity (
      order_id TEXT PRIMARY KEY,
      present_json TEXT NOT NULL DEFAULT '[]',
      last_activity_at INTEGER NOT NULL
    )`);
    // Customer messages after the order's staff seq, one row per message seq.
    sql.exec(`CREATE TABLE IF NOT EXISTS unread_message (
      order_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      PRIMARY KEY (order_id, seq)
    )`);
    // The highest seq that staff wrote or read in the order.
    sql.exec(`CREATE TABLE IF NOT EXISTS staff_seq (
      order_id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL
    )`);
    sql.exec(`CREATE TABLE IF NOT EXISTS upload_activity (
      order_id TEXT NOT NULL,
      file_id TEXT NOT NULL,
      PRIMARY KEY (order_id, file_id)
    )`);
    // The latest run per file; a new run of the same file replaces the row.
    sql.exec(`CREATE TABLE IF NOT EXISTS check_activity (
      order_id TEXT NOT NULL,
      file_id TEXT NOT NULL,
      run_id TEXT NOT NULL,
      state TEXT NOT NULL,
      PRIMARY KEY (order_id, file_id)
    )`);
  }

  onConnect(connection: Connection<FeedUser>, ctx: ConnectionContext) {
    const result = v.safeParse(feedUserSchema, parseJson(ctx.request.headers.get(ROOM_USER_HEADER)));
    if (!result.success || result.output.role === "customer") {
      console.error("staff-feed: connection without staff user", { connectionId: connection.id });
      connection.close(1008, "unauthorised");
      return;
    }
    connection.setState(result.output);
    connection.send(JSON.stringify({ type: "snapshot", orders: this.snapshot() } satisfies FeedFrame));
  }

  onMessage(connection: Connection<FeedUser>) {
    // Staff only listen to the feed; anything they send is dropped.
    console.warn("staff-feed: dropped client frame", { connectionId: connection.id });
  }

  /**
   * Applies one order activity, stores the new summary and broadcasts it.
   * `now` is the time of the activity in epoch milliseconds; tests pass an
   * earlier time to simulate old activity.
   */
  async report(activity: OrderActivity, now: number = Date.now()): Promise<void> {
    const result = v.safeParse(orderActivitySchema, activity);
    if (!result.success) {
      console.error("staff-feed: invalid activity dropped", { orderId: activity?.orderId, activity: activity?.type });
      return;
    }
    const valid = result.output;

    this.ctx.storage.transactionSync(() => this.applyActivity(valid, now));
    const summary = this.readSummary(valid.orderId);
    if (summary) this.broadcast(JSON.stringify({ type: "order", order: summary } satisfies FeedFrame));
    await this.scheduleExpiry();
  }

  /** Returns the summaries of all orders with activity in the last 24 hours, most recent first. */
  snapshot(now: number = Date.now()): OrderSummary[] {
    return this.readSummaries(now - ACTIVITY_RETENTION_MS);
  }

  /**
   * Removes orders without activity since `now` minus 24 hours and broadcasts
   * their ids to connected staff. Returns the removed order ids. Runs from the alarm;
   * tests call it with a later `now`.
   */
  async expireInactive(now: number = Date.now()): Promise<string[]> {
    const cutoff = now - ACTIVITY_RETENTION_MS;
    const expired = this.ctx.storage.sql
      .exec<{ order_id: string }>("SELECT order_id FROM order_activity WHERE last_activity_at < ?", cutoff)
      .toArray()
      .map((row) => row.order_id);

    if (expired.length > 0) {
      this.ctx.storage.transactionSync(() => {
        for (const orderId of expired) this.deleteOrder(orderId);
      });
      console.info("staff-feed: inactive orders expired", { count: expired.length });
      this.broadcast(JSON.stringify({ type: "expired", orderIds: expired } satisfies FeedFrame));
    }
    await this.scheduleExpiry();
    return expired;
  }

  async onAlarm() {
    await this.expireInactive();
  }

  private applyActivity(activity: OrderActivity, now: number) {
    const sql = this.ctx.storage.sql;
    sql.exec(
      `INSERT INTO order_activity (order_id, last_activity_at) VALUES (?, ?)
       ON CONFLICT (order_id) DO UPDATE SET last_activity_at = MAX(last_activity_at, excluded.last_activity_at)`,
      activity.orderId,
      now,
    );

    switch (activity.type) {
      case "presence":
        sql.exec("UPDATE order_activity SET present_json = ? WHERE order_id = ?", JSON.stringify(activity.present), activity.orderId);
        break;
      case "message":
        if (activity.authorRole === "customer") this.addUnreadMessage(activity.orderId, activity.seq);
        else this.advanceStaffSeq(activity.orderId, activity.seq);
        break;
      case "read":
        this.advanceStaffSeq(activity.orderId, activity.seq);
        break;
      case "upload":
        if (activity.state === "started") {
          sql.exec("INSERT OR IGNORE INTO upload_activity (order_id, file_id) VALUES (?, ?)", activity.orderId, activity.fileId);
        } else {
          sql.exec("DELETE FROM upload_activity WHERE order_id = ? AND file_id = ?", activity.orderId, activity.fileId);
        }
        if (activity.state === "deleted") {
          sql.exec("DELETE FROM check_activity WHERE order_id = ? AND file_id = ?", activity.orderId, activity.fileId);
        }
        break;
      case "preflight":
        sql.exec(
          `INSERT INTO check_activity (order_id, file_id, run_id, state) VALUES (?, ?, ?, ?)
           ON CONFLICT (order_id, file_id) DO UPDATE SET run_id = excluded.run_id, state = excluded.state`,
          activity.orderId,
          activity.fileId,
          activity.runId,
          activity.state,
        );
        break;
      default:
        assertNever(activity);
    }
  }

  /** Counts a customer message as unread unless staff have already written or read past it. */
  private addUnreadMessage(orderId: string, seq: number) {
    this.ctx.storage.sql.exec(
      `INSERT OR IGNORE INTO unread_message (order_id, seq)
       SELECT ?, ? WHERE ? > COALESCE((SELECT seq FROM staff_seq WHERE order_id = ?), 0)`,
      orderId,
      seq,
      seq,
      orderId,
    );
  }

  /** Marks every customer message up to `seq` as read, because staff wrote or read the message `seq`. */
  private advanceStaffSeq(orderId: string, seq: number) {
    const sql = this.ctx.storage.sql;
    sql.exec(
      `INSERT INTO staff_seq (order_id, seq) VALUES (?, ?)
       ON CONFLICT (order_id) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
      orderId,
      seq,
    );
    sql.exec("DELETE FROM unread_message WHERE order_id = ? AND seq <= ?", orderId, seq);
  }

  private readSummary(orderId: string): OrderSummary | null {
    return this.readSummaries(0, orderId)[0] ?? null;
  }

  private readSummaries(since: number, orderId?: string): OrderSummary[] {
    const activeStates = ACTIVE_CHECK_STATES.map((state) => `'${state}'`).join(", ");
    const query = `SELECT o.order_id, o.present_json, o.last_activity_at,
        (SELECT COUNT(*) FROM unread_message m WHERE m.order_id = o.order_id) AS unread_messages,
        (SELECT COUNT(*) FROM upload_activity u WHERE u.order_id = o.order_id) AS uploads_in_progress,
        (SELECT COUNT(*) FROM check_activity c WHERE c.order_id = o.order_id AND c.state IN (${activeStates})) AS checks_running,
        (SELECT COUNT(*) FROM check_activity c WHERE c.order_id = o.order_id AND c.state = 'failed') AS checks_failed
      FROM order_activity o
      WHERE o.last_activity_at >= ? ${orderId === undefined ? "" : "AND o.order_id = ?"}
      ORDER BY o.last_activity_at DESC`;
    const bindings: (string | number)[] = orderId === undefined ? [since] : [since, orderId];
    return this.ctx.storage.sql
      .exec<SummaryRow>(query, ...bindings)
      .toArray()
      .map((row) => ({
        orderId: row.order_id,
        present: parsePresent(row.present_json),
        unreadMessages: row.unread_messages,
        uploadsInProgress: row.uploads_in_progress,
        checksRunning: row.checks_running,
        checksFailed: row.checks_failed,
        lastActivityAt: row.last_activity_at,
      }));
  }

  private deleteOrder(orderId: string) {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM order_activity WHERE order_id = ?", orderId);
    sql.exec("DELETE FROM upload_activity WHERE order_id = ?", orderId);
    sql.exec("DELETE FROM check_activity WHERE order_id = ?", orderId);
    sql.exec("DELETE FROM unread_message WHERE order_id = ?", orderId);
    sql.exec("DELETE FROM staff_seq WHERE order_id = ?", orderId);
  }

  /** Sets the alarm to the moment the least recently active order expires, or clears it when the feed is empty. */
  private async scheduleExpiry() {
    const oldest = this.ctx.storage.sql
      .exec<{ oldest: number | null }>("SELECT MIN(last_activity_at) AS oldest FROM order_activity")
      .one().oldest;
    if (oldest === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const expiresAt = oldest + ACTIVITY_RETENTION_MS + 1;
    const current = await this.ctx.storage.getAlarm();
    if (current !== expiresAt) await this.ctx.storage.setAlarm(expiresAt);
  }
}

function parsePresent(json: string): PresentUser[] {
  const result = v.safeParse(v.array(presentUserSchema), parseJson(json));
  return result.success ? result.output : [];
}

function assertNever(value: never): never {
  throw new Error(`staff-feed: unhandled activity ${JSON.stringify(value)}`);
}
