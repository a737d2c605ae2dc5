import type { Database, Migration } from '../../storage/database.js';
import { isItemKey, type DossierState, type Fiche, type FicheDraft, type FicheFormat, type ItemKey } from './checklist.js';

export const DOSSIER_MIGRATIONS: readonly Migration[] = [
  {
    id: 'dossier-001-items-and-fiches',
    up: `
      CREATE TABLE dossier_items (
        user_id TEXT NOT NULL,
        item TEXT NOT NULL,
        done_at TEXT NOT NULL,
        PRIMARY KEY (user_id, item)
      );
      CREATE TABLE dossier_fiches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        title TEXT NOT NULL,
        environment TEXT NOT NULL,
        audience TEXT NOT NULL,
        format TEXT CHECK (format IS NULL OR format IN ('individuel', 'collectif')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX dossier_fiches_user ON dossier_fiches (user_id, id);
    `,
  },
];

interface FicheRow {
  id: number;
  user_id: string;
  title: string;
  environment: string;
  audience: string;
  format: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExportedDossier {
  items: { item: string; doneAt: string }[];
  fiches: { title: string; environment: string; audience: string; format: string | null; createdAt: string; updatedAt: string }[];
}

export interface DossierStore {
  state(userId: string): DossierState;
  setItem(userId: string, item: ItemKey, done: boolean, now: Date): void;
  /** Appends a fiche; the caller checks the limit of five inside `transaction`. */
  addFiche(userId: string, draft: FicheDraft, now: Date): Fiche;
  updateFiche(userId: string, id: number, draft: FicheDraft, now: Date): boolean;
  removeFiche(userId: string, id: number): boolean;
  countFiches(userId: string): number;
  /** Everything about the user; returns the number of rows deleted. */
  erase(userId: string): number;
  exportFor(userId: string): ExportedDossier;
  /**
   * Erases the dossiers whose last change (an item ticked, a fiche written) is before `cutoff`, except those `keep`
   * says are still needed; returns the number of rows deleted. Unticking leaves no trace, so a dossier is judged by
   * what it still holds.
   */
  purgeInactiveBefore(cutoff: Date, keep: (userId: string) => boolean): number;
  transaction<T>(work: () => T): T;
}

const toFiche = (row: FicheRow): Fiche => ({
  id: row.id,
  title: row.title,
  environment: row.environment,
  audience: row.audience,
  format: row.format === 'individuel' || row.format === 'collectif' ? (row.format as FicheFormat) : null,
});

export function createDossierStore(db: Database): DossierStore {
  const selectItems = db.prepare<[string], { item: string; done_at: string }>(
    'SELECT item, done_at FROM dossier_items WHERE user_id = ? ORDER BY item',
  );
  const selectFiches = db.prepare<[string], FicheRow>('SELECT * FROM dossier_fiches WHERE user_id = ? ORDER BY id');
  const insertItem = db.prepare('INSERT OR IGNORE INTO dossier_items (user_id, item, done_at) VALUES (?, ?, ?)');
  const deleteItem = db.prepare('DELETE FROM dossier_items WHERE user_id = ? AND item = ?');
  const insertFiche = db.prepare(
    'INSERT INTO dossier_fiches (user_id, title, environment, audience, format, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const updateFiche = db.prepare(
    'UPDATE dossier_fiches SET title = ?, environment = ?, audience = ?, format = ?, updated_at = ? WHERE user_id = ? AND id = ?',
  );
  const deleteFiche = db.prepare('DELETE FROM dossier_fiches WHERE user_id = ? AND id = ?');
  const countFiches = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM dossier_fiches WHERE user_id = ?');
  const eraseItems = db.prepare('DELETE FROM dossier_items WHERE user_id = ?');
  const eraseFiches = db.prepare('DELETE FROM dossier_fiches WHERE user_id = ?');
  const inactiveUsers = db.prepare<[string], { user_id: string }>(`
    SELECT user_id FROM (
      SELECT user_id, done_at AS at FROM dossier_items UNION ALL SELECT user_id, updated_at FROM dossier_fiches
    ) GROUP BY user_id HAVING MAX(at) < ?`);

  return {
    state(userId) {
      const done = new Set<ItemKey>();
      for (const row of selectItems.all(userId)) if (isItemKey(row.item)) done.add(row.item);
      return { done, fiches: selectFiches.all(userId).map(toFiche) };
    },
    setItem(userId, item, done, now) {
      if (done) insertItem.run(userId, item, now.toISOString());
      else deleteItem.run(userId, item);
    },
    addFiche(userId, draft, now) {
      const at = now.toISOString();
      const result = insertFiche.run(userId, draft.title, draft.environment, draft.audience, draft.format, at, at);
      return { ...draft, id: Number(result.lastInsertRowid) };
    },
    updateFiche(userId, id, draft, now) {
      return updateFiche.run(draft.title, draft.environment, draft.audience, draft.format, now.toISOString(), userId, id).changes > 0;
    },
    removeFiche(userId, id) {
      return deleteFiche.run(userId, id).changes > 0;
    },
    countFiches: (userId) => countFiches.get(userId)?.n ?? 0,
    erase(userId) {
      return db.transaction(() => eraseItems.run(userId).changes + eraseFiches.run(userId).changes)();
    },
    purgeInactiveBefore(cutoff, keep) {
      return db.transaction(() =>
        inactiveUsers
          .all(cutoff.toISOString())
          .filter(({ user_id: userId }) => !keep(userId))
          .reduce((deleted, { user_id: userId }) => deleted + eraseItems.run(userId).changes + eraseFiches.run(userId).changes, 0),
      )();
    },
    exportFor(userId) {
      return {
        items: selectItems.all(userId).map((row) => ({ item: row.item, doneAt: row.done_at })),
        fiches: selectFiches.all(userId).map((row) => ({
          title: row.title,
          environment: row.environment,
          audience: row.audience,
          format: row.format,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        })),
      };
    },
    transaction: (work) => db.transaction(work)(),
  };
}
