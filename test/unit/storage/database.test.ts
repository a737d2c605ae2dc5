import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type Migration } from '../../../src/storage/database.js';

const migrations: Migration[] = [
  { id: 'test-001', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' },
  { id: 'test-002', up: (db) => db.exec('ALTER TABLE notes ADD COLUMN author TEXT') },
];

describe('openDatabase', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('applies migrations once, and keeps data across reopenings of a real file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certif-db-'));
    dirs.push(dir);
    const file = path.join(dir, 'nested', 'bot.sqlite');
    const first = openDatabase({ file, migrations });
    first.prepare('INSERT INTO notes (body, author) VALUES (?, ?)').run('hello', 'me');
    first.close();
    const second = openDatabase({ file, migrations });
    expect(applyMigrations(second, migrations)).toEqual([]);
    expect(second.prepare('SELECT body, author FROM notes').all()).toEqual([{ body: 'hello', author: 'me' }]);
    second.close();
  });

  it('rolls back a failing migration entirely', () => {
    const db = openDatabase({ file: ':memory:', migrations: [] });
    const broken: Migration[] = [{ id: 'bad', up: 'CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER);' }];
    expect(() => applyMigrations(db, broken)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").all()).toEqual([]);
    expect(db.prepare('SELECT id FROM schema_migrations').all()).toEqual([]);
  });
});
