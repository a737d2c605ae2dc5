import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChat } from '../../../src/cli/chat.js';
import type { CliIo } from '../../../src/cli/io.js';
import { createLocalApp } from '../../../src/cli/local-app.js';

describe('certif-bot chat', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'chat-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every line of piped input, even when all lines arrive in one chunk', async () => {
    const stdin = new PassThrough();
    let out = '';
    const io: CliIo = { stdin, stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: { DATA_DIR: dir, LOG_LEVEL: 'error' } };
    const app = createLocalApp(io);
    stdin.end('/deadline 31/08/2026\n/deadline pix 10/05/2026\n/inconnue\nquitter\n/deadline oublier\n');
    await runChat(app, io);
    await app.close();
    expect(out).toContain('28 février 2027');
    expect(out).toContain('10 mai 2029');
    expect(out).toContain("La commande `/inconnue` n'existe pas ici");
    // « quitter » ends the session: the line after it is not run.
    expect(out).not.toMatch(/effacé/i);
    expect(out.trimEnd().endsWith('À bientôt !')).toBe(true);
  });
});
