import type { Notifier, OutgoingMessage, PostRef } from '../../core/notifier.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';
import type { Database } from '../../storage/database.js';

/**
 * Durable delivery: every message a ticket needs is written here in the same transaction as the state change, then
 * delivered by `drain` until Mattermost accepts it. A delivered row is never sent again; each attempt passes the
 * row's idempotency key to the notifier (Mattermost's pending_post_id), so a retry after a lost response or a
 * restart does not post twice.
 *
 * Targets: `user:<username>` and `channel:<name>` are resolved at delivery time (the directory holds names),
 * `id:<userId>` is a user id already known (the asker), and for `update` rows the idempotency key of the card row
 * to update: the update waits until that card is delivered and its post id known.
 *
 * Superseded rows: a row that must never be sent (an older update of the same card, or a message made obsolete by a
 * redirect or a close) is marked delivered without a post id, with the reason in `last_error`. It leaves the backlog,
 * and updates waiting on it are dropped the same way.
 */

export type OutboxKind = 'direct' | 'channel' | 'update';

/** What the row is for: the card's channel is remembered on delivery (who may act on it). */
export type OutboxRole = 'card' | 'card-update' | 'relay' | 'notice' | 'reminder' | 'fallback';

export interface OutboxMessage {
  kind: OutboxKind;
  target: string;
  message: OutgoingMessage;
  key: string;
  ticketId: number | null;
  role: OutboxRole;
  /** Thread under an already delivered post (by its row key). */
  rootKey?: string;
}

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  target: string;
  message: string;
  idempotency_key: string;
  ticket_id: number | null;
  role: OutboxRole;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
  delivered_post_id: string | null;
  delivered_channel_id: string | null;
  created_at: string;
}

export const OUTBOX_BASE_DELAY_MS = 5_000;
export const OUTBOX_MAX_DELAY_MS = 15 * 60_000;

/** Exponential backoff: 5 s, 10 s, 20 s… capped at 15 min (no jitter: one worker per database). */
export function backoffMs(attempts: number): number {
  return Math.min(OUTBOX_MAX_DELAY_MS, OUTBOX_BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}

/** A target the notifier could not resolve: retried later (the directory may be fixed), but worth a warning. */
export class UnknownReceiverError extends Error {
  constructor(target: string) {
    super(`unknown receiver ${target}`);
    this.name = 'UnknownReceiverError';
  }
}

/** Delivery attempts after which a pending row is reported (readiness, admin home page). */
export const OUTBOX_STUCK_ATTEMPTS = 5;

/** The backlog in numbers, counted by SQLite (no row is read). */
export interface OutboxStats {
  /** Rows not delivered (nor superseded) yet. */
  pending: number;
  /** Among them, rows that failed at least OUTBOX_STUCK_ATTEMPTS times. */
  stuck: number;
  /** When the oldest pending row was enqueued, or null when nothing is pending. */
  oldestPendingAt: Date | null;
}

export interface Outbox {
  /** Inside the caller's transaction. Ignored when the key is already there (idempotent enqueue). */
  enqueue(message: OutboxMessage, now: Date): void;
  /** Delivers what is due; concurrent calls share one run (and one more run is chained if asked meanwhile). */
  drain(now: () => Date): Promise<DrainResult>;
  /** Every pending row, oldest first (tests, diagnostics): to count them, use `stats()`. */
  pending(): OutboxRow[];
  stats(): OutboxStats;
  row(key: string): OutboxRow | undefined;
  /**
   * Inside the caller's transaction: marks the ticket's undelivered rows with these roles as superseded (they will
   * never be sent), and the undelivered updates targeting them too. Returns the keys of the rows superseded.
   */
  supersede(ticketId: number, roles: readonly OutboxRole[], reason: string, now: Date): string[];
  /** Whether this row was superseded before being posted: nothing to update, nothing to thread under. */
  isSuperseded(key: string): boolean;
}

/** Superseded: marked delivered without ever being posted. */
const wasSuperseded = (row: OutboxRow | undefined): boolean => row !== undefined && row.delivered_at !== null && row.delivered_post_id === null;

export interface DrainResult {
  delivered: number;
  failed: number;
  waiting: number;
}

export function createOutbox(deps: {
  db: Database;
  notifier: Notifier;
  log: Logger;
  /** Called in the delivery transaction (e.g. remember the card's channel). */
  onDelivered?: (row: OutboxRow, ref: PostRef) => void;
}): Outbox {
  const { db, notifier, log } = deps;
  const insert = db.prepare(
    `INSERT INTO escalation_outbox (kind, target, message, idempotency_key, ticket_id, role, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  const due = db.prepare('SELECT * FROM escalation_outbox WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id');
  const byKey = db.prepare('SELECT * FROM escalation_outbox WHERE idempotency_key = ?');
  const markDelivered = db.prepare(
    'UPDATE escalation_outbox SET delivered_at = ?, delivered_post_id = ?, delivered_channel_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND delivered_at IS NULL',
  );
  // A row superseded while its delivery was in flight: the post exists, so its id is kept (updates can still reach it).
  const markPostedAfterSuperseded = db.prepare(
    'UPDATE escalation_outbox SET delivered_post_id = ?, delivered_channel_id = ?, attempts = attempts + 1 WHERE id = ? AND delivered_post_id IS NULL',
  );
  const markSuperseded = db.prepare('UPDATE escalation_outbox SET delivered_at = ?, last_error = ? WHERE id = ? AND delivered_at IS NULL');
  const NEWER_UPDATE = 'remplacé par une mise à jour plus récente';
  const undeliveredOfTicket = db.prepare('SELECT id, idempotency_key, role FROM escalation_outbox WHERE ticket_id = ? AND delivered_at IS NULL ORDER BY id');
  const undeliveredUpdatesOf = db.prepare("SELECT id FROM escalation_outbox WHERE kind = 'update' AND target = ? AND delivered_at IS NULL");
  const markFailed = db.prepare('UPDATE escalation_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?');
  const allPending = db.prepare('SELECT * FROM escalation_outbox WHERE delivered_at IS NULL ORDER BY id');
  const countPending = db.prepare<[number], { pending: number; stuck: number | null; oldest: string | null }>(
    'SELECT COUNT(*) AS pending, SUM(attempts >= ?) AS stuck, MIN(created_at) AS oldest FROM escalation_outbox WHERE delivered_at IS NULL',
  );
  const laterUpdate = db.prepare(
    "SELECT 1 FROM escalation_outbox WHERE kind = 'update' AND target = ? AND id > ? AND delivered_at IS NULL LIMIT 1",
  );

  async function deliver(row: OutboxRow, message: OutgoingMessage & { rootKey?: string }): Promise<PostRef | 'wait' | 'superseded'> {
    const options = { idempotencyKey: row.idempotency_key };
    const { rootKey, ...outgoing } = message;
    if (row.kind === 'update') {
      const card = byKey.get(row.target) as OutboxRow | undefined;
      // The card was superseded before being posted: there is nothing to update, ever.
      if (wasSuperseded(card)) return 'superseded';
      if (!card?.delivered_post_id) return 'wait';
      await notifier.updatePost(card.delivered_post_id, outgoing);
      return { postId: card.delivered_post_id, channelId: card.delivered_channel_id ?? '' };
    }
    let rootId: string | undefined;
    if (rootKey) {
      const root = byKey.get(rootKey) as OutboxRow | undefined;
      // A root superseded before being posted will never have a thread: post on its own rather than wait forever.
      if (!wasSuperseded(root)) {
        if (!root?.delivered_post_id) return 'wait';
        rootId = root.delivered_post_id;
      }
    }
    const [scheme, ...rest] = row.target.split(':');
    const name = rest.join(':');
    if (row.kind === 'direct') {
      let userId = name;
      if (scheme === 'user') {
        const user = await notifier.resolveUser(name);
        if (!user) throw new UnknownReceiverError(row.target);
        userId = user.id;
      }
      return notifier.sendDirect(userId, outgoing, options);
    }
    const channel = await notifier.resolveChannel(name);
    if (!channel) throw new UnknownReceiverError(row.target);
    return notifier.postInChannel(channel.channelId, outgoing, { ...options, rootId });
  }

  async function runOnce(now: () => Date): Promise<DrainResult> {
    const result: DrainResult = { delivered: 0, failed: 0, waiting: 0 };
    const rows = due.all(now().toISOString()) as OutboxRow[];
    for (const row of rows) {
      // Only the newest pending update of a card matters: older ones are superseded, never posted out of order.
      if (row.kind === 'update' && laterUpdate.get(row.target, row.id)) {
        markSuperseded.run(now().toISOString(), NEWER_UPDATE, row.id);
        continue;
      }
      let ref: PostRef | 'wait' | 'superseded';
      try {
        ref = await deliver(row, JSON.parse(row.message) as OutgoingMessage & { rootKey?: string });
      } catch (error) {
        const attempts = row.attempts + 1;
        const next = new Date(now().getTime() + backoffMs(attempts));
        markFailed.run(next.toISOString(), describeError(error).slice(0, 500), row.id);
        result.failed += 1;
        log.warn({ outboxId: row.id, role: row.role, attempts, nextAttemptAt: next.toISOString(), err: error }, 'escalation delivery failed, will retry');
        continue;
      }
      if (ref === 'wait') {
        result.waiting += 1;
        continue;
      }
      if (ref === 'superseded') {
        markSuperseded.run(now().toISOString(), 'carte jamais publiée (remplacée ou annulée)', row.id);
        continue;
      }
      const delivered = ref;
      db.transaction(() => {
        if (markDelivered.run(now().toISOString(), delivered.postId, delivered.channelId, row.id).changes === 0) {
          // Superseded (ticket redirected or closed) while this delivery was in flight: keep the post id, log it.
          markPostedAfterSuperseded.run(delivered.postId, delivered.channelId, row.id);
          log.warn({ outboxId: row.id, role: row.role, ticketId: row.ticket_id }, 'escalation message posted after it was superseded');
          return;
        }
        deps.onDelivered?.(row, delivered);
      })();
      result.delivered += 1;
    }
    return result;
  }

  let running: Promise<DrainResult> | undefined;
  let again = false;

  return {
    enqueue(message, now) {
      const body = message.rootKey ? { ...message.message, rootKey: message.rootKey } : message.message;
      insert.run(message.kind, message.target, JSON.stringify(body), message.key, message.ticketId, message.role, now.toISOString(), now.toISOString());
    },
    drain(now) {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        const total: DrainResult = { delivered: 0, failed: 0, waiting: 0 };
        try {
          do {
            again = false;
            const result = await runOnce(now);
            total.delivered += result.delivered;
            total.failed += result.failed;
            total.waiting = result.waiting;
            // A card just delivered may unblock its updates in the same drain.
            if (result.delivered > 0 && result.waiting > 0) again = true;
          } while (again);
          return total;
        } finally {
          running = undefined;
        }
      })();
      return running;
    },
    pending() {
      return allPending.all() as OutboxRow[];
    },
    stats() {
      const row = countPending.get(OUTBOX_STUCK_ATTEMPTS) ?? { pending: 0, stuck: 0, oldest: null };
      return { pending: row.pending, stuck: row.stuck ?? 0, oldestPendingAt: row.oldest ? new Date(row.oldest) : null };
    },
    row(key) {
      return byKey.get(key) as OutboxRow | undefined;
    },
    supersede(ticketId, roles, reason, now) {
      const at = now.toISOString();
      const rows = (undeliveredOfTicket.all(ticketId) as Pick<OutboxRow, 'id' | 'idempotency_key' | 'role'>[]).filter((row) => roles.includes(row.role));
      for (const row of rows) {
        markSuperseded.run(at, reason, row.id);
        // Updates of a message that will never be posted would wait forever.
        for (const update of undeliveredUpdatesOf.all(row.idempotency_key) as { id: number }[]) markSuperseded.run(at, reason, update.id);
      }
      return rows.map((row) => row.idempotency_key);
    },
    isSuperseded(key) {
      return wasSuperseded(byKey.get(key) as OutboxRow | undefined);
    },
  };
}
