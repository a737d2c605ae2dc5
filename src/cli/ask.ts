import { createInterface } from 'node:readline';
import type { App } from '../app.js';
import { CONSOLE_CONVERSATION, CONSOLE_USER } from '../core/incoming.js';
import type { Reply } from '../core/reply.js';
import type { CliIo } from './io.js';
import { renderText } from './render-text.js';
import { ASK_MISSING_QUESTION, ASK_USAGE } from './texts.js';

/** One question in, the reply as a user would see it. */
export async function askOnce(app: App, question: string): Promise<Reply> {
  return app.router.dispatch({
    kind: 'message',
    transport: 'console',
    text: question,
    user: CONSOLE_USER,
    conversation: CONSOLE_CONVERSATION,
  });
}

/** The `ask --json` line format: `answered` is true only for a knowledge-base answer. */
export function toJsonLine(question: string, reply: Reply): string {
  const faq = reply.type === 'message' ? reply.meta?.faq : undefined;
  const answered = faq?.outcome === 'answered';
  return JSON.stringify({
    question,
    answered,
    entry: answered ? (faq?.entry ?? null) : null,
    // The decision model's confidence (0..1) in the answered entry, or in the best one when it did not answer.
    score: faq?.confidence ?? null,
    // Every entry offered one click away: « Voir aussi » under an answer, a clarification's choices, the closest entries.
    suggestions: faq?.suggestions ?? [],
    text: renderText(reply).text,
  });
}

export async function runAsk(app: App, args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--json')) {
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      io.stdout.write(`${toJsonLine(line, await askOnce(app, line))}\n`);
    }
    return 0;
  }
  const unknown = args.find((arg) => arg.startsWith('--'));
  if (unknown) {
    io.stderr.write(`Option inconnue : ${unknown}. La seule option est --json.\n\n${ASK_USAGE}`);
    return 2;
  }
  const question = args.join(' ').trim();
  if (question === '') {
    io.stderr.write(`${ASK_MISSING_QUESTION}\n\n${ASK_USAGE}`);
    return 2;
  }
  io.stdout.write(`${renderText(await askOnce(app, question)).text}\n`);
  return 0;
}
