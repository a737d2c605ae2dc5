import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runChat } from '../../src/cli/chat.js';
import { createLocalApp } from '../../src/cli/local-app.js';
import { runCli } from '../../src/cli/main.js';
import { runServe } from '../../src/cli/serve.js';
import { captureCli, typeLines } from '../support/cli.js';
import { makeTestTempDir } from '../support/temp-dir.js';

/**
 * Issue 18, points 3, 4, 5 and 8: console transcripts of `certif-bot chat` and of `npm start` (serve, local mode, in a
 * terminal), which share one console; what a DM or a channel post would carry is delivered there.
 */

const terminal = () => Object.assign(new PassThrough(), { isTTY: true });

/** JSON log lines (pino) found in a transcript: there must be none. */
const logLines = (text: string) => text.split('\n').filter((line) => line.startsWith('{"level"'));

/** A `certif-bot chat` session on a fresh DATA_DIR, the lines typed one by one; the app is left open for checks. */
async function chatSession(lines: readonly string[], env: Record<string, string> = {}, stdin: PassThrough = new PassThrough()) {
  const dir = makeTestTempDir('console-chat-');
  const t = captureCli({ DATA_DIR: dir, ...env }, stdin);
  const app = createLocalApp(t.io);
  const done = runChat(app, t.io, { note: app.logNote });
  await typeLines(stdin, lines, t.out);
  await done;
  onTestFinished(() => app.close());
  return { dir, app, out: t.out(), err: t.err() };
}

describe('the console (certif-bot chat)', () => {
  it('delivers /deadline calendrier as a DM would: printed, and the .ics written where it says', async () => {
    const { out } = await chatSession(['/deadline 31/08/2026', '/deadline calendrier']);
    expect(out).toContain('── Message privé de certif-bot ──');
    const file = /📎 Fichier enregistré : (.+\.ics)$/m.exec(out)?.[1];
    expect(file && readFileSync(file, 'utf8')).toContain('BEGIN:VCALENDAR');
    expect(out).toContain('📅 Je vous ai envoyé le fichier `.ics` de vos dates en message privé.');
    expect(out).not.toMatch(/ne peux pas envoyer/);
  });

  it('does what a person means: a number with no matching choice, `aide` without the slash', async () => {
    const { app, out } = await chatSession(['3', 'aide', '/certif pix', '1', '5', '3']);
    expect(out).toContain("Je n'ai pas de liste de choix en cours pour vous");
    expect(out).toContain('**Ce que je sais faire**');
    // After the pick, the answer's buttons (👍, 👎, Partager) are the choices: 5 is none of them, 3 shares.
    expect(out).toContain("Il n'y a pas de choix 5 dans la dernière liste : tapez un numéro de 1 à 3.");
    expect(out).toContain('── Message dans le canal ~console ──');
    // Neither the numbers nor `aide` were logged as questions: only « pix ».
    expect(app.db.prepare('SELECT text FROM faq_questions').all()).toEqual([{ text: 'pix' }]);
  });

  it('asks a form’s fields in plain French: an option’s label as default (never its id), « facultatif » once', async () => {
    const { out } = await chatSession([
      '/certif profil organisme Organisme Exemple Nord cohorte Nord mars 2026',
      '/certif profil',
      '',
      '',
      '/deadline',
      '31/08/2026',
      '',
    ]);
    expect(out).toContain('Organisme de formation [1=Organisme Exemple Nord, 2=Formations Numériques Exemple Sud] (défaut : Organisme Exemple Nord) :');
    expect(out).toContain('(défaut : Nord mars 2026 (Organisme Exemple Nord))');
    expect(out).not.toMatch(/défaut : (of-|nord-)/);
    expect(out).toContain("Date d'examen (facultatif) :");
    expect(out).not.toContain('(facultatif) (facultatif)');
    expect(out).toContain('**Dimanche 28 février 2027**');
  });

  it('in a terminal, logs go to a file in DATA_DIR, shown once, and never into the conversation', async () => {
    const { dir, out, err } = await chatSession(['c quoi le délai pour passer le ccp1 ?', 'quitter'], { LOG_LEVEL: 'debug' }, terminal());
    const logFile = path.join(dir, 'certif-bot.log');
    expect(out.split(`Journal technique : ${logFile}`)).toHaveLength(2);
    expect(logLines(out + err)).toEqual([]);
    expect(readFileSync(logFile, 'utf8')).toContain('"msg":"input handled"');
  });
});

describe('npm start in a terminal (serve, local mode): the same console', () => {
  it('prints what a DM or a channel post would carry, keeps the logs in a file, and shows where it listens', async () => {
    const dir = makeTestTempDir('console-serve-');
    const stdin = terminal();
    const t = captureCli({ DATA_DIR: dir, PORT: '0' }, stdin);
    const signals = new EventEmitter();
    const served = runServe([], t.io, signals);
    for (let waited = 0; waited < 400 && !t.out().includes('quitter » pour sortir'); waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await typeLines(
      stdin,
      [
        '/deadline 31/08/2026',
        '/deadline calendrier',
        '/certif profil organisme Organisme Exemple Nord cohorte Nord mars 2026',
        '/referent je n’ai pas reçu ma convocation pour le CCP1',
        '1',
        'quitter',
      ],
      t.out,
    );
    expect(await served).toBe(0);
    const out = t.out();
    expect(t.err()).toMatch(/il écoute sur (0\.0\.0\.0|\[::\]):\d+, soit http:\/\/127\.0\.0\.1:\d+ depuis cette machine/);
    expect(t.err()).toContain(`Journal technique : ${path.join(dir, 'certif-bot.log')}`);
    expect(out).toContain('── Message privé de certif-bot ──');
    expect(readdirSync(path.join(dir, 'outbox-files')).some((name) => name.endsWith('.ics'))).toBe(true);
    expect(out).toContain('── Message dans le canal ~support-of-exemple-nord ──');
    expect(out).toMatch(/🎫 \*\*Ticket #1\*\*/);
    expect(out).not.toMatch(/ne peux pas envoyer|n'est pas configuré\)/);
    expect(logLines(out + t.err())).toEqual([]);
    expect(existsSync(path.join(dir, 'certif-bot.log'))).toBe(true);
  });

  it('says in French which port is taken and how to choose another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const t = captureCli({ DATA_DIR: makeTestTempDir('console-port-'), PORT: String(port), LOG_LEVEL: 'silent' });
      expect(await runCli(['serve'], t.io)).toBe(1);
      expect(t.err()).toContain(`Le port ${port} est déjà utilisé`);
      expect(t.err()).toMatch(/PORT=\d+ npm start/);
      expect(t.err()).not.toMatch(/EADDRINUSE|at .*\.js/);
    } finally {
      blocker.close();
    }
  });
});
