import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureCli } from '../support/cli.js';
import { makeTestTempDir } from '../support/temp-dir.js';

/** Issue 18, points 6 and 7: every command has a French --help, every error says what to do, `ask` leaves no trace. */

describe('certif-bot --help and errors', () => {
  it.each(['serve', 'chat', 'ask', 'kb', 'register', 'deadline', 'help'])('`%s --help` prints a French usage and exits 0', async (command) => {
    const t = captureCli({ DATA_DIR: makeTestTempDir('cli-help-') });
    expect(await runCli([command, '--help'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^(Usage|certif-bot —)/);
    expect(t.out()).toContain(`certif-bot ${command === 'help' ? 'serve' : command}`);
    expect(t.out() + t.err()).not.toMatch(/Unknown option|unknown|error/i);
  });

  it('register: names the settings it needs, and says nothing answered when the server is down', async () => {
    const missing = captureCli({});
    expect(await runCli(['register', '--team', 'cnfs'], missing.io)).toBe(2);
    expect(missing.err()).toContain('Il manque : MM_URL, MM_ADMIN_TOKEN, PUBLIC_URL.');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = captureCli({ MM_URL: `http://127.0.0.1:${port}`, MM_ADMIN_TOKEN: 'x', PUBLIC_URL: 'http://certif-bot:3000' });
    expect(await runCli(['register', '--team', 'cnfs'], dead.io)).toBe(1);
    expect(dead.err()).toContain(`Impossible de joindre Mattermost à http://127.0.0.1:${port} (ECONNREFUSED) : aucun serveur n'a répondu. Vérifiez MM_URL`);
    expect(dead.err()).not.toContain('Mattermost a répondu');
    // Only the sentence: no log line.
    expect(dead.err().trim().split('\n')).toHaveLength(1);

    const unknown = captureCli({});
    expect(await runCli(['register', '--equipe', 'cnfs'], unknown.io)).toBe(2);
    expect(unknown.err()).toContain('Option non reconnue (--equipe). Les options sont --team <équipe> et --manifest <fichier>.');
  });

  it('deadline: an option without its date is an error that shows how to write it, never ignored', async () => {
    for (const args of [['31/08/2026', '--examen'], ['31/08/2026', '--examen', '--pix', '10/05/2026']]) {
      const t = captureCli({});
      expect(await runCli(['deadline', ...args], t.io)).toBe(2);
      expect(t.err()).toContain("L'option --examen attend une date juste après elle, par exemple : --examen 12/01/2027.");
      expect(t.out()).toBe('');
    }
    const unknown = captureCli({});
    expect(await runCli(['deadline', '31/08/2026', '--exman', '12/01/2027'], unknown.io)).toBe(2);
    expect(unknown.err()).toContain('Option inconnue : --exman. Les options sont --examen et --pix.');
  });

  it('an unknown command, or `kb` without a subcommand, says what exists', async () => {
    const t = captureCli({});
    expect(await runCli(['demarrer'], t.io)).toBe(2);
    expect(t.err()).toContain('Commande inconnue : demarrer. Les commandes possibles sont listées ci-dessous.');
    const kb = captureCli({ DATA_DIR: makeTestTempDir('cli-kb-') });
    expect(await runCli(['kb'], kb.io)).toBe(2);
    expect(kb.err()).toContain('Précisez check, calibrate ou eval.');
  });
});

describe('certif-bot ask', () => {
  it('never writes the production DATA_DIR: evaluation runs stay out of /certif-admin questions', async () => {
    const dir = makeTestTempDir('cli-ask-');
    const dataDir = path.join(dir, 'data');
    const t = captureCli({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    expect(await runCli(['ask', 'c quoi le délai pour passer le ccp1 ?'], t.io)).toBe(0);
    expect(t.out()).toContain('**');
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });
});
