import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleNotifier } from '../../src/cli/console-notifier.js';
import { localModeHelp } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/mattermost/bot.js';
import { resolveActionSecret } from '../../src/mattermost/signing.js';
import { createCapturingLogger } from '../support/bot-harness.js';

/** Issue 16, finding 6: secrets never printed, probes without paths, data files readable by the bot's user only. */

const ABSOLUTE_PATH = /(^|[\s"'(=:])\/(?:[\w.-]+\/)+[\w.-]*/;
const mode = (file: string) => statSync(file).mode & 0o777;

describe('secrets, probes and data files', () => {
  let bot: RunningBot | undefined;
  let dataDir: string | undefined;
  const previousUmask = process.umask(0o022);
  afterEach(async () => {
    await bot?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    bot = undefined;
    dataDir = undefined;
    process.umask(previousUmask);
  });

  it('prints a placeholder, never the slash-command token, in the local-mode banner', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-banner-'));
    const { log } = createCapturingLogger();
    bot = await startBot({ config: loadConfig({ DATA_DIR: dataDir, MM_COMMAND_TOKENS: 's3cr3t-slash-token-xyz' }), log, port: 0, host: '127.0.0.1' });
    const banner = localModeHelp(bot, ['s3cr3t-slash-token-xyz']);
    expect(banner).not.toContain('s3cr3t-slash-token-xyz');
    expect(banner).toContain('Authorization: Token <');
  });

  it('names the problems of /readyz without any absolute path', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-readyz-'));
    const { log } = createCapturingLogger();
    const config = loadConfig({ DATA_DIR: dataDir, DIRECTORY_FILE: path.join(dataDir, 'absent', 'directory.yaml') });
    bot = await startBot({ config, log, port: 0, host: '127.0.0.1' });
    const ready = await fetch(`${bot.url}/readyz`);
    const text = await ready.text();
    expect(ready.status).toBe(503);
    expect(text).toContain('annuaire');
    expect(text).not.toContain(dataDir);
    expect(text).not.toMatch(ABSOLUTE_PATH);
  });

  it('creates the database, its WAL and SHM files and the action secret readable by the owner only (0600)', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-modes-'));
    const { log } = createCapturingLogger();
    bot = await startBot({ config: loadConfig({ DATA_DIR: dataDir }), log, port: 0, host: '127.0.0.1' });
    bot.app.db.prepare('SELECT COUNT(*) FROM schema_migrations').get();
    for (const name of ['certif-bot.sqlite', 'certif-bot.sqlite-wal', 'certif-bot.sqlite-shm', 'action-secret']) {
      const file = path.join(dataDir, name);
      expect(existsSync(file), name).toBe(true);
      expect(mode(file), name).toBe(0o600);
    }
  });

  it('tightens an existing world-readable database to 0600', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-modes-old-'));
    const { log } = createCapturingLogger();
    const config = loadConfig({ DATA_DIR: dataDir });
    bot = await startBot({ config, log, port: 0, host: '127.0.0.1' });
    await bot.close();
    chmodSync(path.join(dataDir, 'certif-bot.sqlite'), 0o644);
    bot = await startBot({ config, log, port: 0, host: '127.0.0.1' });
    expect(mode(path.join(dataDir, 'certif-bot.sqlite'))).toBe(0o600);
  });

  it('replaces a too-short secret by a new file made 0600 before its first byte (never the old, readable one)', () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-secret-'));
    const file = path.join(dataDir, 'action-secret');
    writeFileSync(file, 'short\n', { mode: 0o644 });
    const before = statSync(file).ino;
    const secret = resolveActionSecret({ dataDir });
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(mode(file)).toBe(0o600);
    // Written into a new file (created 0600, then renamed over the old one), not into the readable one.
    expect(statSync(file).ino).not.toBe(before);
  });

  it('writes exported files (local mode) 0600', () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'certif-export-'));
    const notifier = createConsoleNotifier({ write: () => undefined, dataDir });
    return notifier.sendDirect('admin', { text: 'Export', file: { name: 'tickets.csv', mimeType: 'text/csv', content: 'a,b\r\n' } }).then(() => {
      expect(mode(path.join(dataDir!, 'outbox-files', 'tickets.csv'))).toBe(0o600);
    });
  });
});
