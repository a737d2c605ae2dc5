#!/usr/bin/env node
// A new user's first hour, from the README alone: every command typed here is one the README shows, with its example
// values (dates, directory names). The script drives `certif-bot chat` line by line on an empty DATA_DIR with no
// configuration — the state of a fresh clone after `npm ci` — and checks each reply: nothing fails, nothing refuses,
// and every reply leaves a next step (a choice to type, a command to run, or someone to ask). Then it runs the other
// commands of the README (`ask`, `deadline`, `kb check`, `--help`) and `serve` with the banner's own curl example.
//
//   node scripts/walkthrough.mjs            # on this checkout (built: `npm run build`), part of `npm test`
//   node scripts/walkthrough.mjs --clone    # on a fresh `git clone` of this checkout, after its own `npm ci`
//
// The transcript is written to a file (its path is printed); on a failure the failing step is printed in full.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'certif-bot-walkthrough-'));
let root = here;
if (process.argv.includes('--clone')) {
  root = path.join(work, 'clone');
  run('git', ['clone', '--quiet', here, root], here);
  run('npm', ['ci', '--no-audit', '--no-fund'], root);
}
const bin = path.join(root, 'bin', 'certif-bot.js');
if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) fail('certif-bot is not built: run `npm run build` first (npm test does).');

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const dataDir = path.join(work, 'data');
// Nothing configured: no MM_*, no PUBLIC_URL, no LOG_LEVEL — what `npm start` sees on a fresh machine.
const env = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'Europe/Paris', DATA_DIR: dataDir };
const transcript = [];
const failures = [];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed`);
}

function fail(message) {
  process.stderr.write(`walkthrough: ${message}\n`);
  process.exit(1);
}

function check(step, condition, what, shown) {
  if (condition) return;
  failures.push(`${step} — ${what}\n${shown ? `--- reçu ---\n${shown}\n------------` : ''}`);
}

/** The README must show what the walkthrough types: the new user knows nothing else. */
function documented(step, snippet) {
  check(step, readme.includes(snippet), `le README ne montre pas « ${snippet} »`);
}

// ------------------------------------------------------------------------------------------------ the console

/** What a reply must never say: something failed, is unavailable, or was not understood. */
const DEAD_ENDS = [
  /n'est pas configuré|n’est pas configuré/,
  /ne peux pas (envoyer|écrire|publier|transmettre)/,
  /n'est pas disponible|n’est pas disponible/,
  /n'existe pas ici/,
  /n'ai pas compris|n’ai pas compris/,
  /n'est plus valable|n’est plus valable/,
  /quelque chose s'est mal passé/,
  /pas de liste de choix en cours/,
  /Il n'y a pas de choix/,
  /\{"level"/,
];
/** A next step: a numbered choice, a command in backticks, a person to ask, or the console's own farewell. */
const NEXT_STEP = /\[\d+\]|\[\d+=|`\/[a-z]|Pour aller plus loin|organisme de formation|À bientôt/;
/** Closing acknowledgements: the end of a flow the user chose to end. */
const CLOSINGS = [/^Merci pour votre retour/, /^C'est fait\. J'ai effacé/, /^Je ne garde aucune donnée vous concernant/];

class Console {
  constructor() {
    this.out = '';
    this.child = spawn(process.execPath, [bin, 'chat'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.err = '';
    this.child.stdout.on('data', (chunk) => (this.out += chunk));
    this.child.stderr.on('data', (chunk) => (this.err += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  /** Waits until the console has printed something and then stayed quiet for a moment. */
  async settle(from, { quietMs = 250, timeoutMs = 15_000 } = {}) {
    const started = Date.now();
    let seen = this.out.length;
    let quietSince = Date.now();
    while (Date.now() - started < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      if (this.out.length !== seen) {
        seen = this.out.length;
        quietSince = Date.now();
      } else if (this.out.length > from && Date.now() - quietSince >= quietMs) {
        break;
      }
    }
    return this.out.slice(from);
  }

  /** Types one line; returns what the console printed in answer. A form field gets no answer: `expectAnswer: false`. */
  async type(line, { expectAnswer = true } = {}) {
    const from = this.out.length;
    this.child.stdin.write(`${line}\n`);
    const answer = expectAnswer ? await this.settle(from) : (await new Promise((resolve) => setTimeout(resolve, 150)), this.out.slice(from));
    transcript.push(`> ${line}\n${answer.trim()}\n`);
    return answer;
  }
}

/** One step: type a line, check the answer has no dead end and leaves a next step, then the step's own checks. */
async function step(chat, name, line, expectations = [], options = {}) {
  const answer = await chat.type(line, options);
  if (options.expectAnswer === false) return answer;
  check(name, answer.trim() !== '', 'aucune réponse');
  for (const pattern of DEAD_ENDS) check(name, !pattern.test(answer), `impasse : ${pattern}`, answer);
  if (!CLOSINGS.some((closing) => closing.test(answer.trim()))) check(name, NEXT_STEP.test(answer), 'la réponse ne propose aucune suite', answer);
  for (const expected of expectations) {
    const ok = expected instanceof RegExp ? expected.test(answer) : answer.includes(expected);
    check(name, ok, `attendu : ${expected}`, answer);
  }
  return answer;
}

async function walkTheConsole() {
  documented('console', 'npx certif-bot chat');
  const chat = new Console();
  const welcome = await chat.settle(0);
  transcript.push(`(démarrage)\n${welcome.trim()}\n`);
  check('accueil', welcome.includes('/certif aide'), 'l’accueil ne dit pas comment commencer', welcome);

  // Getting to know the bot.
  documented('aide', '`aide` seul');
  await step(chat, 'aide sans barre oblique', 'aide', ['**Ce que je sais faire**']);
  documented('aide', '/certif aide');
  await step(chat, '/certif aide', '/certif aide', ['/deadline', '/dossier', '/referent', '/certif mes-donnees']);

  // The FAQ: an answer, its feedback, a clarification picked with /certif 2, an off-topic message.
  documented('faq', 'c quoi le délai pour passer le ccp1 ?');
  await step(chat, 'question', 'c quoi le délai pour passer le ccp1 ?', [/_Sources? :/, '[1] 👍 Utile']);
  await step(chat, 'avis', '1', ['Merci pour votre retour']);
  documented('faq', 'cite les fiches les plus proches');
  const offered = await step(chat, 'question vague', '/certif le pix', ["s'en approche", /\[\d\] Transmettre ma question/]);
  const first = /\[1\] (.+)/.exec(offered)?.[1]?.trim();
  documented('choix', '/certif 2');
  await step(chat, 'choix au clavier', '/certif 1', [`**${first}**`]);
  await step(chat, 'hors sujet', 'recette de la tarte tatin', [/Transmettre ma question|organisme de formation/]);

  // The calendar, with the README's example dates.
  for (const [name, command, expected] of [
    ['fin de formation', '/deadline 31/08/2026', '**Dimanche 28 février 2027**'],
    ['examen', '/deadline examen 12/01/2027', 'Convocation envoyée au plus tard le'],
    ['pix', '/deadline pix 10/05/2026', 'Validité indicative du certificat Pix'],
    ['rappels', '/deadline rappels oui', '🔔 Rappels activés'],
  ]) {
    documented(name, command);
    await step(chat, name, command, [expected]);
  }
  documented('calendrier', '/deadline calendrier');
  const ics = await step(chat, 'fichier .ics', '/deadline calendrier', ['── Message privé de certif-bot ──', '📎 Fichier enregistré']);
  const icsFile = /📎 Fichier enregistré : (.+\.ics)/.exec(ics)?.[1];
  check('fichier .ics', icsFile && existsSync(icsFile) && readFileSync(icsFile, 'utf8').includes('BEGIN:VCALENDAR'), `fichier .ics absent : ${icsFile}`);

  // The exam file: a button by its number, a fiche by text, the delete confirmation.
  documented('dossier', '`/dossier`');
  await step(chat, 'dossier', '/dossier', ['0/11 étapes faites', '[1] ⬜ Dossier pro']);
  await step(chat, 'cocher au numéro', '1', ['✅ Coché : Dossier professionnel rédigé.']);
  documented('dossier', '/dossier coche dp');
  await step(chat, 'cocher au clavier', '/dossier coche convocation', ['✅ Coché : Convocation reçue.']);
  const fiche = '/dossier fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors';
  documented('fiche', fiche);
  await step(chat, 'fiche', fiche, ['Fiche 1 ajoutée.']);
  await step(chat, 'voir la fiche', '/dossier fiche 1', ['**Fiche action 1**', '[2] 🗑️ Supprimer']);
  await step(chat, 'supprimer ?', '2', ['Supprimer la fiche 1 (« Atelier smartphone ») ?', '[2] Non, la garder']);
  await step(chat, 'garder', '2', ['**Fiche action 1**']);

  // A question for a human: /referent, the profile form in the console, the ticket card delivered here.
  documented('referent', '/referent <question>');
  await step(chat, 'referent', '/referent je n’ai pas reçu ma convocation pour le CCP1', ['[1] Indiquer mon organisme et ma cohorte']);
  await step(chat, 'formulaire du profil', '1', ['📝 Mon profil']);
  await step(chat, 'organisme', '1', [], { expectAnswer: false });
  await step(chat, 'cohorte', '1', ['✅ Votre profil : organisme de formation **Organisme Exemple Nord**', '[1] Transmettre']);
  const ticket = await step(chat, 'transmettre', '1', ['── Message dans le canal ~support-of-exemple-nord ──', '🎫 **Ticket #1**', "✅ C'est transmis"]);
  check('transmettre', !/en attente|partira/.test(ticket), 'le ticket attend au lieu d’être livré', ticket);

  // Personal data.
  documented('données', '/certif mes-donnees');
  const data = await step(chat, 'mes données', '/certif mes-donnees', ['Voici ce que je garde à votre sujet', '📎 Fichier enregistré']);
  const json = /📎 Fichier enregistré : (.+\.json)/.exec(data)?.[1];
  check('mes données', json && existsSync(json) && JSON.parse(readFileSync(json, 'utf8')).categories.length === 5, `export JSON absent ou incomplet : ${json}`);
  documented('oublier', '/certif oublier');
  await step(chat, 'oublier', '/certif oublier', ['Confirmez-vous ?', '[1] Oui, tout effacer']);
  documented('oublier', '/certif oublier confirmer');
  const erased = await step(chat, 'effacer', '/certif oublier confirmer', ["C'est fait. J'ai effacé :"]);
  check('effacer', !/\(\d+\)/.test(erased), 'l’effacement compte des lignes de base de données', erased);
  await step(chat, 'plus rien', '/certif mes-donnees', ['Je ne garde aucune donnée vous concernant'], {});

  await step(chat, 'quitter', 'quitter', ['À bientôt !']);
  chat.child.stdin.end();
  const code = await chat.exited;
  check('quitter', code === 0, `la console s’est terminée avec le code ${code}`, chat.err);
  check('journaux', !/\{"level"/.test(chat.out + chat.err), 'des journaux JSON se mêlent à la conversation');
}

// ------------------------------------------------------------------------------------------------ the other commands

function cli(name, args, expected, { code = 0, extraEnv = {} } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  transcript.push(`$ certif-bot ${args.join(' ')}\n${(result.stdout + result.stderr).trim()}\n`);
  check(name, result.status === code, `code de sortie ${result.status} au lieu de ${code}`, result.stdout + result.stderr);
  const output = result.stdout + result.stderr;
  for (const text of expected) check(name, typeof text === 'string' ? output.includes(text) : text.test(output), `attendu : ${text}`, output);
  check(name, !/Unknown option|TypeError|at .*\.js:\d+/.test(result.stdout + result.stderr), 'message en anglais ou trace de pile', result.stderr);
  return result;
}

function walkTheCommands() {
  documented('ask', 'npx certif-bot ask "c quoi le délai pour passer le ccp1 ?"');
  cli('ask', ['ask', 'c quoi le délai pour passer le ccp1 ?'], [/_Sources? :/]);
  const before = existsSync(path.join(dataDir, 'certif-bot.sqlite')) ? readFileSync(path.join(dataDir, 'certif-bot.sqlite')).length : 0;
  cli('ask --json', ['ask', '--json'], []);
  documented('deadline', 'npx certif-bot deadline 31/08/2026 --examen 12/01/2027 --pix 10/05/2026');
  cli('deadline', ['deadline', '31/08/2026', '--examen', '12/01/2027', '--pix', '10/05/2026'], ['Dimanche 28 février 2027']);
  cli('deadline sans date', ['deadline', '31/08/2026', '--examen'], ["L'option --examen attend une date"], { code: 2 });
  documented('kb check', 'npx certif-bot kb check');
  cli('kb check', ['kb', 'check'], ['Base de connaissances valide']);
  documented('aide', 'npx certif-bot <commande> --help');
  for (const command of ['serve', 'chat', 'ask', 'kb', 'register', 'deadline']) cli(`${command} --help`, [command, '--help'], ['Usage']);
  documented('register', 'MM_URL=https://chat.exemple.fr MM_ADMIN_TOKEN=… PUBLIC_URL=http://certif-bot:3000');
  cli('register sans réglages', ['register', '--team', 'cnfs'], ['Il manque : MM_URL, MM_ADMIN_TOKEN, PUBLIC_URL.'], { code: 2 });
  const after = existsSync(path.join(dataDir, 'certif-bot.sqlite')) ? readFileSync(path.join(dataDir, 'certif-bot.sqlite')).length : 0;
  check('ask', before === after, 'ask a écrit dans DATA_DIR');
}

/** `npm start` without a terminal: the banner's address and curl example, and a reply with its buttons. */
async function walkTheServer() {
  documented('serve', 'npm ci && npm start');
  const server = spawn(process.execPath, [bin, 'serve'], {
    cwd: root,
    env: { ...env, PORT: '0', DATA_DIR: path.join(work, 'serve-data'), MM_COMMAND_TOKENS: 'un-jeton-de-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let banner = '';
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (chunk) => (banner += chunk));
  server.stdout.resume();
  const exited = new Promise((resolve) => server.on('exit', resolve));
  for (let waited = 0; waited < 200 && !banner.includes('curl'); waited += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  transcript.push(`$ npm start (sans terminal)\n${banner.trim()}\n`);
  const url = /soit (http:\/\/127\.0\.0\.1:\d+) depuis cette machine/.exec(banner)?.[1];
  check('serve', url !== undefined, 'la bannière ne donne pas l’adresse où le bot écoute', banner);
  if (url) {
    const response = await fetch(`${url}/mattermost/command`, {
      method: 'POST',
      headers: { Authorization: 'Token un-jeton-de-test', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ command: '/certif', text: 'pix', channel_id: 'canal', user_id: 'moi', user_name: 'moi' }),
    });
    const body = await response.json();
    transcript.push(`$ curl … /certif pix\n${JSON.stringify(body, null, 2)}\n`);
    const actions = (body.attachments ?? []).flatMap((attachment) => attachment.actions ?? []);
    check('curl', actions.length >= 2 && actions.every((action) => action.integration?.url === `${url}/mattermost/action`), 'les boutons manquent ou ne pointent pas vers le bot', JSON.stringify(body));
  }
  server.kill('SIGTERM');
  check('serve', (await exited) === 0, 'le serveur ne s’est pas arrêté proprement sur SIGTERM');
}

try {
  await walkTheConsole();
  walkTheCommands();
  await walkTheServer();
} finally {
  const file = path.join(tmpdir(), 'certif-bot-walkthrough.txt');
  writeFileSync(file, transcript.join('\n'));
  if (failures.length > 0) {
    process.stderr.write(`Parcours d'un nouvel utilisateur : ${failures.length} problème${failures.length > 1 ? 's' : ''}\n\n${failures.join('\n\n')}\n\nConversation complète : ${file}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`Parcours d'un nouvel utilisateur : ${transcript.length} étapes, aucune impasse. Conversation : ${file}\n`);
  }
  rmSync(work, { recursive: true, force: true });
}
