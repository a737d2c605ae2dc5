import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChat } from '../../src/cli/chat.js';
import { runKb } from '../../src/cli/kb.js';
import { createLocalApp } from '../../src/cli/local-app.js';
import { message, openDialog } from '../../src/core/reply.js';
import { captureCli } from '../support/cli.js';

/** The French the CLI prints, end to end through its real entry points. */

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const directoryFile = path.resolve(import.meta.dirname, '../../knowledge/directory.yaml');

describe('CLI French', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-french-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('kb check: « 1 problème » in the singular, on a one-entry base that cannot be calibrated', async () => {
    const knowledge = path.join(dir, 'knowledge');
    mkdirSync(path.join(knowledge, 'entries'), { recursive: true });
    for (const file of ['glossary.yaml', 'sources.yaml', 'disputes.yaml']) cpSync(path.join(fixtures, 'knowledge-mini', file), path.join(knowledge, file));
    cpSync(path.join(fixtures, 'knowledge-mini', 'entries', 'convocation-examens.md'), path.join(knowledge, 'entries', 'convocation-examens.md'));
    const t = captureCli({ DATA_DIR: path.join(dir, 'data'), KNOWLEDGE_DIR: knowledge, DIRECTORY_FILE: directoryFile });
    expect(await runKb(['check'], t.io), t.out() + t.err()).toBe(1);
    expect(t.out()).toContain('faq-calibration.json absent : lancez « certif-bot kb calibrate »');
    expect(t.err()).toMatch(/^1 problème dans /);
  });

  it('chat: a yes/no field shows its default as « oui » / « non », never true / false', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const t = captureCli({ DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'error' }, stdin);
    const app = createLocalApp(t.io);
    app.router.command({ name: 'essai', description: 'Formulaire de test', hint: '' }, () =>
      openDialog(
        {
          callbackId: 'essai.form',
          title: 'Essai',
          elements: [
            { type: 'bool', name: 'rappel', label: 'Recevoir un rappel', defaultValue: true },
            { type: 'bool', name: 'partage', label: 'Partager', defaultValue: false },
          ],
        },
        message('Formulaire indisponible.'),
      ),
    );
    app.router.dialog('essai.form', (input) => message(`Reçu : ${String(input.submission.rappel)} / ${String(input.submission.partage)}`));
    stdin.end('/essai\n\n\nquitter\n');
    await runChat(app, t.io);
    await app.close();
    expect(t.out()).toContain('Recevoir un rappel [o/n] (défaut : oui) : ');
    expect(t.out()).toContain('Partager [o/n] (défaut : non) : ');
    expect(t.out()).not.toMatch(/défaut : (true|false)/);
    // The empty answers keep the defaults.
    expect(t.out()).toContain('Reçu : true / false');
  });
});
