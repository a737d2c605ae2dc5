import type { ActionInput, CommandInput, Incoming } from './incoming.js';
import { message, type Button, type MessageReply } from './reply.js';
import { foldText } from './text.js';

/**
 * Typed choices: every reply that offers buttons can also be answered by typing. The router remembers the buttons of
 * the last reply each person got in each conversation; typing a number (`/certif 2`, or `2` alone in a message, the
 * console or a DM) then does what the second button does. A transport that cannot show buttons (no PUBLIC_URL, an
 * action response that carries text only, a terminal) lists the choices with the command that picks each — the
 * button's own command when it has one (`/certif oublier confirmer`), its number otherwise.
 *
 * What is remembered came out of the bot's own reply to this person in this conversation: picking it is exactly the
 * click that reply offered, to the same person, as a signed button context would prove.
 */

/** The command whose `/certif <n>` picks the n-th choice. */
export const PICK_COMMAND = 'certif';

/** Choices are kept as long as an ephemeral reply's buttons (signing.ts): a day. */
export const CHOICE_TTL_MS = 24 * 60 * 60 * 1000;
/** Conversations remembered at most; the oldest are forgotten first (each holds a handful of buttons). */
export const MAX_REMEMBERED_CONVERSATIONS = 10_000;

/** Words typed without the slash that mean « show me the help » (`aide`, `help`, `?`), as `/certif aide` does. */
export const HELP_MESSAGE_WORDS: readonly string[] = ['aide', 'help', '?', 'menu', 'commandes'];

/** The command that picks the button at `index` (0-based) of the latest reply: `/certif 2`. */
export function pickCommand(index: number): string {
  return `/${PICK_COMMAND} ${index + 1}`;
}

/** The number in a typed pick (`2`, `2.`, `n°2`), or undefined when the text is something else. */
export function parsePick(text: string): number | undefined {
  const match = /^\s*(?:n\s*[°o]\s*)?(\d{1,2})\s*[.)]?\s*$/i.exec(text);
  if (!match) return undefined;
  const number = Number(match[1]);
  return number >= 1 ? number : undefined;
}

/** The phrase for a button that only works as a button (a post made on the bot's own initiative, no PUBLIC_URL). */
export const BUTTON_ONLY_NOTE = "bouton indisponible sur cette installation (PUBLIC_URL n'est pas configuré)";

/**
 * Choices as text, for a transport that cannot show buttons: each label with the command that does the same. `byNumber`:
 * the buttons belong to a reply, so `/certif <n>` picks them; otherwise only a button's own command can stand for it.
 */
export function choicesAsText(buttons: readonly Button[], options: { byNumber?: boolean } = {}): string {
  const byNumber = options.byNumber ?? true;
  const lines = buttons.map((button, index) => {
    const command = button.command ?? (byNumber ? pickCommand(index) : undefined);
    return command ? `- \`${command}\` : ${button.label}` : `- ${button.label} : ${BUTTON_ONLY_NOTE}`;
  });
  return ['Au clavier, tapez :', ...lines].join('\n');
}

export interface ChoiceMemory {
  remember(userId: string, channelId: string, buttons: readonly Button[], now: Date): void;
  forget(userId: string, channelId: string): void;
  /** The buttons of the latest reply with buttons in that conversation, or an empty list (none, or expired). */
  current(userId: string, channelId: string, now: Date): readonly Button[];
}

export function createChoiceMemory(options: { ttlMs?: number; maxConversations?: number } = {}): ChoiceMemory {
  const ttl = options.ttlMs ?? CHOICE_TTL_MS;
  const max = options.maxConversations ?? MAX_REMEMBERED_CONVERSATIONS;
  // Insertion order is age order: a conversation is moved to the end each time it is remembered again.
  const entries = new Map<string, { buttons: readonly Button[]; expiresAt: number }>();
  const key = (userId: string, channelId: string) => `${userId}\u0000${channelId}`;
  return {
    remember(userId, channelId, buttons, now) {
      const id = key(userId, channelId);
      entries.delete(id);
      entries.set(id, { buttons: [...buttons], expiresAt: now.getTime() + ttl });
      while (entries.size > max) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    forget(userId, channelId) {
      entries.delete(key(userId, channelId));
    },
    current(userId, channelId, now) {
      const id = key(userId, channelId);
      const entry = entries.get(id);
      if (!entry) return [];
      if (entry.expiresAt <= now.getTime()) {
        entries.delete(id);
        return [];
      }
      return entry.buttons;
    },
  };
}

export const NO_CHOICES_TEXT =
  "Je n'ai pas de liste de choix en cours pour vous (elle a peut-être expiré). Posez votre question, ou tapez " +
  '`/certif aide` pour voir tout ce que je sais faire.';

export function noSuchChoiceText(number: number, count: number): string {
  const range = count === 1 ? 'le seul choix est le 1' : `tapez un numéro de 1 à ${count}`;
  return `Il n'y a pas de choix ${number} dans la dernière liste : ${range}.`;
}

/** What a typed line means before any feature sees it. */
export type Typed =
  | { kind: 'input'; incoming: Incoming }
  | { kind: 'reply'; reply: MessageReply };

/**
 * Turns a typed pick into the click it stands for, and `aide` typed without the slash into `/certif aide`; any other
 * input is returned as it is. A number that matches no current choice gets a short French answer (and the choices
 * again), never the FAQ: nobody asks a question by typing « 3 ».
 */
export function resolveTyped(incoming: Incoming, memory: ChoiceMemory, now: Date): Typed {
  let text: string | undefined;
  if (incoming.kind === 'message') text = incoming.text.replace(/^\s*@certif-bot\b[\s,:;.!-]*/i, '');
  else if (incoming.kind === 'command' && incoming.command.replace(/^\//, '').toLowerCase() === PICK_COMMAND) text = incoming.text;
  if (text === undefined) return { kind: 'input', incoming };
  const number = parsePick(text);
  if (number === undefined) {
    if (incoming.kind === 'message' && HELP_MESSAGE_WORDS.includes(foldText(text).replace(/[\s!.]+$/, ''))) {
      const help: CommandInput = { ...base(incoming), kind: 'command', command: PICK_COMMAND, text: 'aide' };
      return { kind: 'input', incoming: help };
    }
    return { kind: 'input', incoming };
  }
  const choices = memory.current(incoming.user.id, incoming.conversation.channelId, now);
  const button = choices[number - 1];
  if (!button) {
    if (choices.length === 0) return { kind: 'reply', reply: message(NO_CHOICES_TEXT) };
    return { kind: 'reply', reply: message(noSuchChoiceText(number, choices.length), { buttons: choices }) };
  }
  const click: ActionInput = { ...base(incoming), kind: 'action', action: button.action, payload: button.payload ?? {} };
  return { kind: 'input', incoming: click };
}

function base(incoming: Incoming) {
  return {
    transport: incoming.transport,
    user: incoming.user,
    conversation: incoming.conversation,
    ...(incoming.triggerId ? { triggerId: incoming.triggerId } : {}),
  };
}
