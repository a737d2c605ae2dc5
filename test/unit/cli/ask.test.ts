import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAsk } from '../../../src/cli/ask.js';
import type { CliIo } from '../../../src/cli/io.js';
import { createLocalApp } from '../../../src/cli/local-app.js';

describe('certif-bot ask --json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ask-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON line per question, with the entries offered instead of an answer', async () => {
    const stdin = new PassThrough();
    let out = '';
    const io: CliIo = { stdin, stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: { DATA_DIR: dir, LOG_LEVEL: 'error' } };
    const app = createLocalApp(io);
    stdin.end('c quoi le délai max pour passer le ccp1 ?\njury\nle DP faut le rendre avant quelle date, mon formateur me met la pression\n\nrecette de la tarte tatin\n');
    expect(await runAsk(app, ['--json'], io)).toBe(0);
    await app.close();
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as { question: string; answered: boolean; entry: string | null; suggestions: string[] });
    expect(lines.map((line) => line.question)).toEqual([
      'c quoi le délai max pour passer le ccp1 ?',
      'jury',
      'le DP faut le rendre avant quelle date, mon formateur me met la pression',
      'recette de la tarte tatin',
    ]);
    expect(lines[0]).toMatchObject({ answered: true, suggestions: [] });
    expect(lines[0]?.entry).not.toBeNull();
    expect(lines[1]).toMatchObject({ answered: false, entry: null });
    expect(lines[1]?.suggestions).toHaveLength(3);
    expect(lines[2]).toMatchObject({ answered: false, entry: null });
    expect(lines[2]?.suggestions[0]).toBe('dp-remise');
    expect(lines[3]).toMatchObject({ answered: false, entry: null, suggestions: [] });
  });
});
