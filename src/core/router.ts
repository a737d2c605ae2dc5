import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { Clock } from './clock.js';
import { UserFacingError, describeError } from './errors.js';
import { resolveTyped, type ChoiceMemory } from './choices.js';
import type { ConcurrencyGuard, RateLimiter } from './guards.js';
import type { ActionInput, CommandInput, DialogInput, Incoming, MessageInput } from './incoming.js';
import { message, type Reply } from './reply.js';
import { foldText, splitFirstWord } from './text.js';

export interface HandlerContext {
  now: Date;
  log: Logger;
  requestId: string;
}

export type Handler<I extends Incoming> = (incoming: I, ctx: HandlerContext) => Reply | Promise<Reply>;

export interface CommandInfo {
  /** Trigger without the slash, lower-case. */
  name: string;
  description: string;
  /** Autocomplete hint, e.g. `[question]`. */
  hint: string;
}

export interface Router {
  command(info: CommandInfo, handler: Handler<CommandInput>): void;
  /** A first word that selects another handler, e.g. `subcommand('certif', ['aide', 'help'], …)`. */
  subcommand(command: string, words: readonly string[], handler: Handler<CommandInput>): void;
  action(name: string, handler: Handler<ActionInput>): void;
  dialog(callbackId: string, handler: Handler<DialogInput>): void;
  /** Free text addressed to the bot (mention, DM, console line). One handler: the FAQ. */
  message(handler: Handler<MessageInput>): void;
  dispatch(incoming: Incoming, options?: { requestId?: string }): Promise<Reply>;
  commands(): readonly CommandInfo[];
  actions(): readonly string[];
  dialogs(): readonly string[];
}

export const RATE_LIMITED_TEXT =
  "Vous m'envoyez beaucoup de messages d'affilée : patientez une minute, puis reposez votre question.";
export const CLICKS_RATE_LIMITED_TEXT =
  "Vous cliquez ou envoyez des formulaires très vite d'affilée : patientez une minute, puis réessayez. Rien n'a été fait pour ce clic.";
export const BUSY_TEXT = 'Je reçois beaucoup de demandes en ce moment : réessayez dans quelques secondes.';

export interface RouterOptions {
  log: Logger;
  clock: Clock;
  /** Per-user limit on typed chat inputs (commands and messages); the console is not limited. */
  rateLimiter?: RateLimiter;
  /** Per-user limit on clicks and dialog submissions (a separate budget: a checklist takes several clicks in a row). */
  clickRateLimiter?: RateLimiter;
  concurrency?: ConcurrencyGuard;
  /** Called once per handled input, after the reply is built (metrics). */
  observe?: (incoming: Incoming, reply: Reply, durationMs: number) => void;
  /**
   * Remembers the buttons of each reply so that typing a number (`/certif 2`, or `2` alone) picks one, and turns
   * `aide` typed without the slash into `/certif aide` (choices.ts). Without it, inputs are routed as they come.
   */
  choices?: ChoiceMemory;
}

/** What a log line may say about an input: its kind and name, never the user's text (personal data). */
export function describeIncoming(incoming: Incoming): { kind: Incoming['kind']; name?: string } {
  switch (incoming.kind) {
    case 'command':
      return { kind: 'command', name: incoming.command };
    case 'action':
      return { kind: 'action', name: incoming.action };
    case 'dialog':
      return { kind: 'dialog', name: incoming.callbackId };
    case 'message':
      return { kind: 'message' };
  }
}

export const GENERIC_FAILURE_TEXT =
  "Désolé, quelque chose s'est mal passé de mon côté. Réessayez dans un instant ; si cela se reproduit, " +
  'signalez-le dans le canal « Formation & Certification » en donnant la référence ci-dessous.';

export const STORAGE_FAILURE_TEXT =
  "Je n'arrive pas à enregistrer de données pour le moment (problème de stockage de mon côté) : votre demande n'a " +
  "pas abouti. Réessayez un peu plus tard ; l'incident est signalé dans mes journaux.";

/** SQLite refusing to write (disk full, read-only, I/O error): the user is told plainly, nothing was saved. */
function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|BUSY|LOCKED)/.test(code);
}

export function createRouter(deps: RouterOptions): Router {
  const commands = new Map<string, { info: CommandInfo; handler: Handler<CommandInput> }>();
  const subcommands = new Map<string, Map<string, Handler<CommandInput>>>();
  const actions = new Map<string, Handler<ActionInput>>();
  const dialogs = new Map<string, Handler<DialogInput>>();
  let messageHandler: Handler<MessageInput> | undefined;

  function claim<V>(map: Map<string, V>, key: string, value: V, what: string): void {
    if (map.has(key)) throw new Error(`${what} "${key}" is registered twice`);
    map.set(key, value);
  }

  async function route(incoming: Incoming, ctx: HandlerContext): Promise<Reply> {
    switch (incoming.kind) {
      case 'command': {
        const name = incoming.command.replace(/^\//, '').toLowerCase();
        const entry = commands.get(name);
        if (!entry) {
          return message(
            `La commande \`/${name}\` n'existe pas ici. Tapez \`/certif aide\` pour voir ce que je sais faire.`,
          );
        }
        const [first, rest] = splitFirstWord(incoming.text);
        const sub = subcommands.get(name)?.get(foldText(first));
        if (sub) return sub({ ...incoming, command: name, subcommand: foldText(first), text: rest }, ctx);
        return entry.handler({ ...incoming, command: name }, ctx);
      }
      case 'action': {
        const handler = actions.get(incoming.action);
        if (!handler) return message("Ce bouton n'est plus valable. Relancez la commande pour en obtenir un nouveau.");
        return handler(incoming, ctx);
      }
      case 'dialog': {
        const handler = dialogs.get(incoming.callbackId);
        if (!handler) return message("Ce formulaire n'est plus valable. Relancez la commande pour en ouvrir un nouveau.");
        return handler(incoming, ctx);
      }
      case 'message': {
        if (!messageHandler) return message('Je ne sais pas encore répondre aux messages.');
        return messageHandler(incoming, ctx);
      }
    }
  }

  async function guardedRoute(incoming: Incoming, ctx: HandlerContext, requestId: string): Promise<Reply> {
    // The console (chat, ask --json) is the operator's own terminal: only chat users are rate-limited.
    const typed = (incoming.kind === 'command' || incoming.kind === 'message') && incoming.transport !== 'console';
    if (typed && deps.rateLimiter && !deps.rateLimiter.tryTake(incoming.user.id, ctx.now)) {
      return message(RATE_LIMITED_TEXT, { meta: { refused: 'rate_limited' } });
    }
    const clicked = (incoming.kind === 'action' || incoming.kind === 'dialog') && incoming.transport !== 'console';
    if (clicked && deps.clickRateLimiter && !deps.clickRateLimiter.tryTake(incoming.user.id, ctx.now)) {
      return message(CLICKS_RATE_LIMITED_TEXT, { meta: { refused: 'rate_limited' } });
    }
    const release = deps.concurrency ? deps.concurrency.tryEnter() : () => undefined;
    if (!release) return message(BUSY_TEXT, { meta: { refused: 'busy' } });
    try {
      if (!deps.choices) return await route(incoming, ctx);
      const typed = resolveTyped(incoming, deps.choices, ctx.now);
      return typed.kind === 'reply' ? typed.reply : await route(typed.incoming, ctx);
    } catch (error) {
      // The one error boundary: the user gets French, the log gets the stack.
      if (error instanceof UserFacingError) {
        ctx.log.warn({ err: error }, 'handler refused the input');
        return message(error.userMessage);
      }
      ctx.log.error({ err: error, error: describeError(error) }, 'handler failed');
      const text = isStorageFailure(error) ? STORAGE_FAILURE_TEXT : GENERIC_FAILURE_TEXT;
      return message(`${text}\n\nRéférence : \`${requestId.slice(0, 8)}\``, { meta: { failed: true } });
    } finally {
      release();
    }
  }

  return {
    command(info, handler) {
      claim(commands, info.name.toLowerCase(), { info, handler }, 'command');
    },
    subcommand(command, words, handler) {
      const key = command.toLowerCase();
      const table = subcommands.get(key) ?? new Map<string, Handler<CommandInput>>();
      subcommands.set(key, table);
      for (const word of words) claim(table, foldText(word), handler, `subcommand of /${key}`);
    },
    action(name, handler) {
      claim(actions, name, handler, 'action');
    },
    dialog(callbackId, handler) {
      claim(dialogs, callbackId, handler, 'dialog');
    },
    message(handler) {
      if (messageHandler) throw new Error('the message handler is registered twice');
      messageHandler = handler;
    },
    async dispatch(incoming, options = {}) {
      const requestId = options.requestId ?? randomUUID();
      const bindings = { requestId, transport: incoming.transport, ...describeIncoming(incoming) };
      const started = performance.now();
      // The child logger is made only for handlers that log: most inputs need nothing but the line below.
      let child: Logger | undefined;
      const ctx: HandlerContext = {
        now: deps.clock.now(),
        requestId,
        get log() {
          child ??= deps.log.child(bindings);
          return child;
        },
      };
      const reply = await guardedRoute(incoming, ctx, requestId);
      if (deps.choices && reply.type === 'message') {
        // The latest buttons shown in this conversation are the ones a typed number picks; a message that replaces
        // the one that carried them, with none of its own, takes them away.
        const { id } = incoming.user;
        const { channelId } = incoming.conversation;
        if (reply.buttons && reply.buttons.length > 0) deps.choices.remember(id, channelId, reply.buttons, ctx.now);
        else if (reply.replaceOriginal) deps.choices.forget(id, channelId);
      }
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const meta = reply.type === 'message' ? reply.meta : undefined;
      // The one info line per input: ids and decision, never the user's text.
      deps.log.info(
        {
          ...bindings,
          userId: incoming.user.id,
          outcome: meta?.faq?.outcome ?? meta?.refused ?? (meta?.failed ? 'failed' : reply.type),
          ...(meta?.faq ? { entry: meta.faq.entry, questionId: meta.faq.questionId } : {}),
          durationMs,
        },
        'input handled',
      );
      deps.observe?.(incoming, reply, durationMs);
      return reply;
    },
    commands: () => [...commands.values()].map((entry) => entry.info),
    actions: () => [...actions.keys()],
    dialogs: () => [...dialogs.keys()],
  };
}
