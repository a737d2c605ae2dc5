import { createInterface, type Interface } from 'node:readline/promises';
import type { App } from '../app.js';
import { CONSOLE_CONVERSATION, CONSOLE_USER, type Incoming, type Scalar } from '../core/incoming.js';
import type { DialogSpec, Reply } from '../core/reply.js';
import type { CliIo } from './io.js';
import { renderText } from './render-text.js';

export const CHAT_WELCOME = [
  'certif-bot — console locale (aucun serveur Mattermost nécessaire).',
  'Posez une question comme dans le canal (« c quoi le délai pour passer le ccp1 ? »),',
  'ou tapez une commande : /certif aide, /deadline 31/08/2026, /dossier …',
  'Tapez le numéro d’un bouton pour cliquer dessus, et « quitter » pour sortir.',
].join('\n');

const base = { transport: 'console' as const, user: CONSOLE_USER, conversation: CONSOLE_CONVERSATION };

/**
 * Turns one console line into an input: a slash command, or a message. A number alone is a message too: the router
 * turns it into a click on that button of the latest reply (core/choices.ts), as it does for `/certif 2` anywhere.
 */
export function parseConsoleLine(line: string): Incoming | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  const command = /^\/([a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(text);
  if (command) return { ...base, kind: 'command', command: (command[1] ?? '').toLowerCase(), text: command[2] ?? '' };
  return { ...base, kind: 'message', text };
}

/**
 * Reads lines one at a time, with a prompt. Lines are buffered by the async iterator: piped input (several lines
 * in one chunk) is not lost while a reply is being built, as it would be with `rl.question`.
 */
type AskLine = (prompt: string) => Promise<string | undefined>;

function lineReader(rl: Interface, io: CliIo): AskLine {
  const lines = rl[Symbol.asyncIterator]();
  return async (prompt) => {
    if (io.stdin.isTTY) io.stdout.write(prompt);
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };
}

/** A dialog in the console: each field is asked in turn; an empty answer keeps the default (or skips an optional field). */
async function fillDialog(askLine: AskLine, io: CliIo, dialog: DialogSpec): Promise<Record<string, Scalar> | undefined> {
  io.stdout.write(`\n📝 ${dialog.title}${dialog.introduction ? `\n${dialog.introduction}` : ''}\n(tapez « annuler » pour abandonner)\n`);
  const submission: Record<string, Scalar> = {};
  for (const element of dialog.elements) {
    let prompt = `${element.label}${element.optional ? ' (facultatif)' : ''}`;
    if (element.type === 'select' || element.type === 'radio') {
      prompt += ` [${element.options.map((option, index) => `${index + 1}=${option.label}`).join(', ')}]`;
    } else if (element.type === 'bool') {
      prompt += ' [o/n]';
    }
    if (element.defaultValue !== undefined && element.defaultValue !== '') prompt += ` (défaut : ${defaultShown(element)})`;
    const line = await askLine(`${prompt} : `);
    if (line === undefined) return undefined;
    const answer = line.trim();
    if (answer.toLowerCase() === 'annuler') return undefined;
    if (answer === '') {
      submission[element.name] = element.defaultValue ?? (element.type === 'bool' ? false : null);
      continue;
    }
    if (element.type === 'select' || element.type === 'radio') {
      const byIndex = element.options[Number(answer) - 1];
      submission[element.name] = byIndex ? byIndex.value : answer;
    } else if (element.type === 'bool') {
      submission[element.name] = /^(o|oui|y|yes|1|true)$/i.test(answer);
    } else {
      submission[element.name] = answer;
    }
  }
  return submission;
}

/** A default as the user reads it: « oui »/« non » for a yes/no field, never `true`/`false`. */
function defaultShown(element: DialogSpec['elements'][number]): string {
  if (element.type === 'bool') return element.defaultValue ? 'oui' : 'non';
  return String(element.defaultValue);
}

export async function runChat(app: App, io: CliIo): Promise<number> {
  const rl = createInterface({ input: io.stdin, terminal: false });
  const askLine = lineReader(rl, io);
  io.stdout.write(`${CHAT_WELCOME}\n`);

  const show = async (reply: Reply): Promise<void> => {
    if (reply.type === 'dialog') {
      const submission = await fillDialog(askLine, io, reply.dialog);
      const next = await app.router.dispatch({
        ...base,
        kind: 'dialog',
        callbackId: reply.dialog.callbackId,
        state: reply.dialog.state ?? {},
        submission: submission ?? {},
        cancelled: submission === undefined,
      });
      if (next.type === 'dialog_errors') {
        io.stdout.write(`${renderText(next).text}\n`);
        return show(reply);
      }
      return show(next);
    }
    const rendered = renderText(reply);
    if (rendered.text) io.stdout.write(`\n${rendered.text}\n\n`);
  };

  try {
    for (;;) {
      const line = await askLine('> ');
      if (line === undefined) break; // stdin closed (Ctrl-D, or the end of piped input)
      if (/^(quitter|quit|exit|q)$/i.test(line.trim())) break;
      const incoming = parseConsoleLine(line);
      if (!incoming) continue;
      await show(await app.router.dispatch(incoming));
    }
  } finally {
    rl.close();
  }
  io.stdout.write('À bientôt !\n');
  return 0;
}
