import type { Database, Migration } from '../storage/database.js';

/**
 * Clicks and dialog submissions already handled, by the one-time id signed into their button or dialog
 * (signing.ts). Mattermost (or anyone holding a context) may send the same click or submission again: a double click,
 * a retry after a timeout, a replay. The first one is handled and its answer kept here; any later one gets that same
 * answer and changes nothing. Stored in SQLite, so it holds across a restart; a row lives as long as the button or
 * dialog it answers (after that the signature check refuses it anyway).
 */
export const HANDLED_INPUT_MIGRATIONS: readonly Migration[] = [
  {
    id: 'mattermost-002-handled-inputs',
    up: `
      CREATE TABLE mattermost_handled_inputs (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'done')),
        response   TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX mattermost_handled_inputs_expiry ON mattermost_handled_inputs (expires_at);
      CREATE INDEX mattermost_handled_inputs_user ON mattermost_handled_inputs (user_id);
    `,
  },
];

export type Claim =
  /** First time: the caller handles it, then calls `complete` (or `release` to let a retry through). */
  | { kind: 'first' }
  /** Already handled: the first answer, to send again. */
  | { kind: 'replay'; response: unknown }
  /** Being handled right now (or the process died while handling it): nothing is done twice. */
  | { kind: 'in_progress' };

export interface HandledInputStore {
  claim(id: string, userId: string, now: number, expiresAt: number): Claim;
  complete(id: string, response: unknown): void;
  /** The input was not acted on (form errors, a crash before any change, a dialog opened): it may come again. */
  release(id: string): void;
  /** Rows whose button or dialog has expired. */
  prune(now: number): number;
  /** RGPD: the answers kept for a user (they may quote what she typed). */
  countFor(userId: string): number;
  eraseFor(userId: string): number;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

export function createHandledInputStore(db: Database): HandledInputStore {
  const insert = db.prepare(
    `INSERT INTO mattermost_handled_inputs (id, user_id, status, created_at, expires_at) VALUES (?, ?, 'pending', ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  );
  const select = db.prepare<[string], { status: 'pending' | 'done'; response: string | null }>(
    'SELECT status, response FROM mattermost_handled_inputs WHERE id = ?',
  );
  const done = db.prepare(`UPDATE mattermost_handled_inputs SET status = 'done', response = ? WHERE id = ?`);
  const remove = db.prepare(`DELETE FROM mattermost_handled_inputs WHERE id = ? AND status = 'pending'`);
  const expired = db.prepare('DELETE FROM mattermost_handled_inputs WHERE expires_at <= ?');
  const countOf = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM mattermost_handled_inputs WHERE user_id = ?');
  const eraseOf = db.prepare('DELETE FROM mattermost_handled_inputs WHERE user_id = ?');

  // Expired rows go at most once an hour, on the way (a claim), so that the table stays as small as the live buttons.
  let prunedAt = Number.NEGATIVE_INFINITY;
  return {
    claim(id, userId, now, expiresAt) {
      if (now - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now;
        expired.run(now);
      }
      if (insert.run(id, userId, now, expiresAt).changes > 0) return { kind: 'first' };
      const row = select.get(id);
      if (row?.status === 'done') return { kind: 'replay', response: row.response === null ? {} : (JSON.parse(row.response) as unknown) };
      return { kind: 'in_progress' };
    },
    complete(id, response) {
      done.run(JSON.stringify(response ?? {}), id);
    },
    release(id) {
      remove.run(id);
    },
    prune: (now) => expired.run(now).changes,
    countFor: (userId) => countOf.get(userId)?.n ?? 0,
    eraseFor: (userId) => eraseOf.run(userId).changes,
  };
}
