import BetterSqlite3 from 'better-sqlite3';
import { ensurePrivateFile, tightenIfPresent } from './private-files.js';

export type Database = BetterSqlite3.Database;

/**
 * A schema change, applied once, in the order given, inside a transaction. Each feature owns its migrations
 * (ids prefixed with the feature name, e.g. `faq-001-question-log`) and the composition root passes them all in.
 */
export interface Migration {
  id: string;
  up: string | ((db: Database) => void);
}

export interface OpenDatabaseOptions {
  /** A file path, or `:memory:` for tests. */
  file: string;
  migrations: readonly Migration[];
}

export function openDatabase({ file, migrations }: OpenDatabaseOptions): Database {
  if (file !== ':memory:') {
    // SQLite creates the -wal and -shm files with the database file's own mode: 0600 for the three (questions,
    // tickets and profiles are personal data). An empty file is a valid empty database.
    ensurePrivateFile(file);
    tightenIfPresent(`${file}-wal`);
    tightenIfPresent(`${file}-shm`);
  }
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  applyMigrations(db, migrations);
  return db;
}

export function applyMigrations(db: Database, migrations: readonly Migration[]): string[] {
  const ids = new Set<string>();
  for (const migration of migrations) {
    if (ids.has(migration.id)) throw new Error(`migration "${migration.id}" is listed twice`);
    ids.add(migration.id);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare('SELECT id FROM schema_migrations')
      .all()
      .map((row) => (row as { id: string }).id),
  );
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      record.run(migration.id, new Date().toISOString());
    })();
    newlyApplied.push(migration.id);
  }
  return newlyApplied;
}
