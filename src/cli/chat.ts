import { createInterface, type Interface } from 'node:readline/promises';
import type { App } from '../app.js';
import { foldText } from '../core/text.js';
import { CONSOLE_CONVERSATION, CONSOLE_USER, type Incoming, type Scalar } from '../core/incoming.js';
import type { DialogSpec, Reply } from '../core/reply.js';
import type { CliIo } from './io.js';
import { renderText } from './render-text.js';
import * as T from './texts.js';

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
type AskLine = (prompt: string, always?: boolean) => Promise<string | undefined>;

function lineReader(rl: Interface, io: CliIo): AskLine {
  const lines = rl[Symbol.asyncIterator]();
  return async (prompt, always = false) => {
    // The « > » prompt only in a terminal; a form's questions always (a transcript must show what was asked).
    if (io.stdin.isTTY) io.stdout.write(prompt);
    else if (always) io.stdout.write(`${prompt}\n`);
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };
}

/**
 * A dialog in the console: each field is asked in turn, with its help text; an empty answer keeps the default (or
 * skips an optional field); a choice is taken by its number or its label.
 */
async function fillDialog(askLine: AskLine, io: CliIo, dialog: DialogSpec): Promise<Record<string, Scalar> | undefined> {
  io.stdout.write(`\n📝 ${dialog.title}${dialog.introduction ? `\n${dialog.introduction}` : ''}\n${T.DIALOG_CANCEL_HINT}\n`);
  const submission: Record<string, Scalar> = {};
  for (const element of dialog.elements) {
    if (element.helpText) io.stdout.write(`  ${element.helpText}\n`);
    for (;;) {
      const line = await askLine(`${promptFor(element)} : `, true);
      if (line === undefined) return undefined;
      const answer = line.trim();
      if (foldText(answer) === T.DIALOG_CANCEL_WORD) return undefined;
      const value = valueOf(element, answer);
      if (value === INVALID) {
        io.stdout.write(`${T.dialogInvalidChoice('options' in element ? element.options.length : 0)}\n`);
        continue;
      }
      submission[element.name] = value;
      break;
    }
  }
  return submission;
}

type Element = DialogSpec['elements'][number];
const INVALID = Symbol('invalid');

function promptFor(element: Element): string {
  let prompt = `${element.label}${element.optional ? ` (${T.DIALOG_OPTIONAL})` : ''}`;
  if (element.type === 'select' || element.type === 'radio') {
    prompt += ` [${element.options.map((option, index) => `${index + 1}=${option.label}`).join(', ')}]`;
  } else if (element.type === 'bool') {
    prompt += ` ${T.DIALOG_YES_NO}`;
  }
  const shown = defaultShown(element);
  if (shown !== undefined) prompt += ` ${T.dialogDefault(shown)}`;
  return prompt;
}

function valueOf(element: Element, answer: string): Scalar | typeof INVALID {
  if (answer === '') return element.defaultValue ?? (element.type === 'bool' ? false : null);
  if (element.type === 'select' || element.type === 'radio') {
    if (/^\d+$/.test(answer)) return element.options[Number(answer) - 1]?.value ?? INVALID;
    const byLabel = element.options.find((option) => foldText(option.label) === foldText(answer));
    return byLabel ? byLabel.value : answer;
  }
  if (element.type === 'bool') return /^(o|oui|y|yes|1|true)$/i.test(answer);
  return answer;
}

/** A default as the user reads it: « oui »/« non » for a yes/no field, an option's label (never its internal id). */
function defaultShown(element: Element): string | undefined {
  if (element.defaultValue === undefined || element.defaultValue === '') return undefined;
  if (element.type === 'bool') return element.defaultValue ? T.YES : T.NO;
  if (element.type === 'select' || element.type === 'radio') {
    return element.options.find((option) => option.value === element.defaultValue)?.label;
  }
  return String(element.defaultValue);
}

/** The conversation: shared by `certif-bot chat` and `npm start` in a terminal (console.ts sets up the rest). */
export async function runChat(app: App, io: CliIo, options: { note?: string } = {}): Promise<number> {
  const rl = createInterface({ input: io.stdin, terminal: false });
  const askLine = lineReader(rl, io);
  io.stdout.write(`${T.CHAT_WELCOME}\n${options.note ? `${options.note}\n` : ''}`);

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
      const line = await askLine(T.PROMPT);
      if (line === undefined) break; // stdin closed (Ctrl-D, or the end of piped input)
      if (/^(quitter|quit|exit|q)$/i.test(line.trim())) break;
      const incoming = parseConsoleLine(line);
      if (!incoming) continue;
      await show(await app.router.dispatch(incoming));
    }
  } finally {
    rl.close();
  }
  io.stdout.write(`${T.FAREWELL}\n`);
  return 0;
}
