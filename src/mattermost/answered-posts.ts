import type { Database, Migration } from '../storage/database.js';

/**
 * Which posts the bot has answered, so that a post seen twice (once over the WebSocket, once again during the
 * catch-up after a reconnect or a restart) is answered once. Only ids are kept, never the text.
 */
export const MATTERMOST_MIGRATIONS: readonly Migration[] = [
  {
    id: 'mattermost-001-answered-posts',
    up: `
      CREATE TABLE mattermost_answered_posts (
        post_id    TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'answered')),
        claimed_at INTEGER NOT NULL,
        answered_at INTEGER
      );
      CREATE INDEX mattermost_answered_posts_claimed ON mattermost_answered_posts (claimed_at);
      CREATE TABLE mattermost_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];

/** A claim left `pending` this long belongs to a process that died mid-answer: it may be taken again. */
const STALE_CLAIM_MS = 5 * 60 * 1000;
/** Ids older than this can no longer come back through a catch-up (bounded by CATCH_UP_MAX_AGE_MS). */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

export interface AnsweredPostStore {
  /** True when this caller now owns the post; false when it is answered or being answered. */
  claim(postId: string, channelId: string, now: number): boolean;
  complete(postId: string, now: number): void;
  /** Gives the post back (answering failed), so that the next catch-up tries again. */
  release(postId: string): void;
  isAnswered(postId: string): boolean;
  /** The create_at (server time, ms) of the newest post seen; the catch-up starts from it. */
  cursor(): number | undefined;
  setCursor(at: number): void;
  prune(now: number): number;
}

export function createAnsweredPostStore(db: Database): AnsweredPostStore {
  const insert = db.prepare(
    `INSERT INTO mattermost_answered_posts (post_id, channel_id, status, claimed_at) VALUES (?, ?, 'pending', ?)
     ON CONFLICT (post_id) DO UPDATE SET claimed_at = excluded.claimed_at
     WHERE status = 'pending' AND claimed_at < ?`,
  );
  const done = db.prepare(`UPDATE mattermost_answered_posts SET status = 'answered', answered_at = ? WHERE post_id = ?`);
  const remove = db.prepare(`DELETE FROM mattermost_answered_posts WHERE post_id = ? AND status = 'pending'`);
  const get = db.prepare(`SELECT status FROM mattermost_answered_posts WHERE post_id = ?`);
  const readState = db.prepare(`SELECT value FROM mattermost_state WHERE key = ?`);
  const writeState = db.prepare(
    `INSERT INTO mattermost_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const old = db.prepare(`DELETE FROM mattermost_answered_posts WHERE claimed_at < ?`);

  return {
    claim: (postId, channelId, now) => insert.run(postId, channelId, now, now - STALE_CLAIM_MS).changes > 0,
    complete: (postId, now) => {
      done.run(now, postId);
    },
    release: (postId) => {
      remove.run(postId);
    },
    isAnswered: (postId) => (get.get(postId) as { status: string } | undefined)?.status === 'answered',
    cursor() {
      const row = readState.get('cursor') as { value: string } | undefined;
      const value = row ? Number(row.value) : Number.NaN;
      return Number.isFinite(value) ? value : undefined;
    },
    setCursor: (at) => {
      writeState.run('cursor', String(at));
    },
    prune: (now) => old.run(now - KEEP_MS).changes,
  };
}
