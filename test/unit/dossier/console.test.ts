import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChat } from '../../../src/cli/chat.js';
import type { CliIo } from '../../../src/cli/io.js';
import { createLocalApp } from '../../../src/cli/local-app.js';

/** Runs one console session over piped input. */
async function session(dataDir: string, lines: readonly string[]): Promise<string> {
  const stdin = new PassThrough();
  let out = '';
  const io: CliIo = {
    stdin,
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => true },
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'error' },
  };
  const app = createLocalApp(io);
  const done = runChat(app, io);
  for (const line of lines) {
    // Like a person typing: the next line comes once the reply is out (a dialog field has no reply: short pause).
    const length = out.length;
    stdin.write(`${line}\n`);
    for (let waited = 0; waited < 60 && out.length === length; waited += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  stdin.end();
  await done;
  await app.close();
  return out;
}

describe('/dossier in the console (text only), across a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dossier-chat-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('ticks an item, adds fiches by text and by the console dialog, and finds them again after a restart', async () => {
    const first = await session(dir, [
      '/dossier coche dp',
      '/dossier fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors groupe',
      '/dossier',
      '7', // ➕ Ajouter une fiche action → the dialog, asked field by field
      'Créer sa boîte mail',
      'ordinateur Windows',
      'demandeurs d’emploi',
      '1',
      'quitter',
    ]);
    expect(first).toContain('✅ Coché : Dossier professionnel rédigé.');
    expect(first).toContain('Fiche 1 ajoutée.');
    expect(first).toContain('📝 Nouvelle fiche action');
    expect(first).toContain('Fiche 2 ajoutée.');

    const second = await session(dir, ['/dossier', 'quitter']);
    expect(second).toContain('✅ Dossier professionnel rédigé');
    expect(second).toContain('1. **Atelier smartphone** — environnement : smartphone Android · public : seniors · collective (groupe)');
    expect(second).toContain('2. **Créer sa boîte mail** — environnement : ordinateur Windows · public : demandeurs d’emploi · individuelle');
    expect(second).toContain('3/11');
  });
});
