import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createSilentLogger } from '../../src/logger.js';
import { loadManifest, MANIFEST_FILE } from '../../src/mattermost/manifest.js';
import { createRecordingNotifier } from '../support/recording-notifier.js';

/**
 * manifest.json and the router of the real app must agree both ways: a command registered on the server but not
 * in the router would answer "unknown command"; one in the router but not in the manifest would never be reachable.
 */
describe('manifest.json ⇄ router contract', () => {
  const manifest = loadManifest();
  const app = createApp({
    config: loadConfig({ DATA_DIR: '/tmp/certif-bot-contract', KNOWLEDGE_DIR: path.resolve('knowledge') }),
    log: createSilentLogger(),
    notifier: createRecordingNotifier(),
    databaseFile: ':memory:',
  });
  const routed = app.router.commands().map((command) => command.name).sort();
  const declared = manifest.commands.map((command) => command.trigger).sort();

  it('declares every command of the router', () => {
    expect(routed.filter((name) => !declared.includes(name))).toEqual([]);
  });

  it('routes every command of the manifest', () => {
    expect(declared.filter((name) => !routed.includes(name))).toEqual([]);
  });

  it('ships the icon it names and uses the adapter routes', () => {
    expect(existsSync(path.resolve(path.dirname(MANIFEST_FILE), manifest.icon))).toBe(true);
    expect(manifest.routes).toEqual({ command: '/mattermost/command', action: '/mattermost/action', dialog: '/mattermost/dialog' });
  });
});
