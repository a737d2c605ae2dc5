import type { OutgoingMessage } from '../../core/notifier.js';
import { mentionUser, quoteUserText, userText } from '../../core/safe-text.js';
import type { Button, Field } from '../../core/reply.js';
import { cohortById, trainingBodyById, type Directory } from './directory.js';
import { describeReceiver, receiverAfterA } from './routing.js';
import { allowed, type TicketCommand } from './state-machine.js';
import { isAskerErased, type Ticket } from './store.js';

/** What a ticket looks like for its receiver, the asker and the fallback channel. Pure. */

export const ACTIONS = {
  start: 'escalation.start',
  confirm: 'escalation.confirm',
  cancel: 'escalation.cancel',
  claim: 'escalation.claim',
  answer: 'escalation.answer',
  redirect: 'escalation.redirect',
  close: 'escalation.close',
  helped: 'escalation.helped',
  more: 'escalation.more',
  profile: 'escalation.profile',
  /** The asker closes her own ticket (offered when she cancels after it was sent). */
  withdraw: 'escalation.withdraw',
} as const;

export const DIALOGS = {
  answer: 'escalation.answer',
  redirect: 'escalation.redirect',
  close: 'escalation.close',
  more: 'escalation.more',
  profile: 'escalation.profile',
} as const;

/** The question (or any user text) as a quote: inert Markdown, never a mention, a link or a heading. */
const quote = quoteUserText;

/** Who asked, once she had her data erased. */
export const ERASED_ASKER_LABEL = 'personne dont les données ont été effacées';

const dateFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone, day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });

export function describeProfile(ticket: Pick<Ticket, 'trainingBodyId' | 'cohortId'>, directory: Directory | undefined): string {
  const body = directory ? trainingBodyById(directory, ticket.trainingBodyId) : undefined;
  const cohort = directory ? cohortById(directory, ticket.cohortId) : undefined;
  const bodyName = body?.name ?? ticket.trainingBodyId ?? 'organisme non indiqué';
  const cohortName = cohort?.name ?? ticket.cohortId ?? 'cohorte inconnue';
  return `${bodyName} — ${cohortName}`;
}

function stateLine(ticket: Ticket): string {
  switch (ticket.state) {
    case 'open':
      return '⏳ En attente de prise en charge';
    case 'claimed':
      return `🙋 Pris en charge par ${ticket.claimedBy ? mentionUser(ticket.claimedBy) : '?'}`;
    case 'answered':
      return `✅ Répondu par ${ticket.answeredBy || ticket.claimedBy ? mentionUser((ticket.answeredBy ?? ticket.claimedBy) as string) : '?'}`;
    case 'closed':
      return '🔒 Clos';
  }
}

/** The receiver's button for each command (the asker reopens from her relay message: no button here). */
function commandButton(ticket: Ticket, command: Exclude<TicketCommand, 'reopen'>): Button {
  const payload = { t: ticket.id };
  switch (command) {
    case 'claim':
      return { label: 'Je prends', action: ACTIONS.claim, payload, style: 'primary' };
    case 'answer':
      return { label: ticket.state === 'answered' ? 'Compléter la réponse' : 'Répondre', action: ACTIONS.answer, payload, style: 'success' };
    case 'redirect':
      return { label: 'Rediriger', action: ACTIONS.redirect, payload };
    case 'close':
      return { label: 'Clore', action: ACTIONS.close, payload, style: 'danger' };
  }
}

/** The buttons among `commands` that the state machine allows on the ticket now, in that order. */
function receiverButtons(ticket: Ticket, commands: readonly Exclude<TicketCommand, 'reopen'>[]): Button[] {
  return commands.filter((command) => allowed(ticket, command)).map((command) => commandButton(ticket, command));
}

/** The ticket card: question, asker, profile, the bot's best candidates, and the buttons allowed in this state. */
export function ticketCard(ticket: Ticket, options: { directory: Directory | undefined; reason?: string; heading?: string }): OutgoingMessage {
  const buttons = receiverButtons(ticket, ['claim', 'answer', 'redirect', 'close']);
  const fields: Field[] = [
    { title: 'Posée par', value: isAskerErased(ticket) ? ERASED_ASKER_LABEL : mentionUser(ticket.askerUsername), short: true },
    { title: 'État', value: stateLine(ticket), short: true },
    { title: 'Profil', value: describeProfile(ticket, options.directory), short: false },
  ];
  if (options.reason) fields.push({ title: 'Pourquoi vous', value: options.reason, short: false });
  fields.push({
    title: 'Pistes du bot',
    value: ticket.candidates.length > 0 ? ticket.candidates.map((title) => `• ${title}`).join('\n') : 'Aucune fiche proche.',
    short: false,
  });
  if (ticket.answer) fields.push({ title: 'Réponse', value: userText(ticket.answer), short: false });
  const heading = options.heading ?? `🎫 **Ticket #${ticket.id}** — une question que je n'ai pas su traiter`;
  return { text: `${heading}\n\n${quote(ticket.question)}`, fields, buttons };
}

/** The old card after a redirection: no buttons left, it says where the ticket went. */
export function redirectedCard(ticket: Ticket, to: string, by: string): OutgoingMessage {
  return {
    text: `🎫 **Ticket #${ticket.id}** — ↪️ redirigé vers ${to} par ${mentionUser(by)}\n\n${quote(ticket.question)}`,
  };
}

/** The answer relayed to the asker in a DM. */
export function relayMessage(ticket: Ticket, answer: string, answeredBy: string): OutgoingMessage {
  return {
    text: `📬 **Réponse à votre question (ticket #${ticket.id})**, de ${mentionUser(answeredBy)} :\n\n${userText(answer)}\n\n_Votre question :_\n${quote(ticket.question)}`,
    buttons: [
      { label: "Ça m'a aidé", action: ACTIONS.helped, payload: { t: ticket.id }, style: 'success' },
      { label: "J'ai encore une question", action: ACTIONS.more, payload: { t: ticket.id } },
    ],
  };
}

export function claimedNotice(ticket: Ticket, by: string): OutgoingMessage {
  return { text: `🙋 Votre question (ticket #${ticket.id}) a été prise en charge par ${mentionUser(by)}. Vous recevrez sa réponse ici.` };
}

/** To the asker, once the ticket is redirected (its receiver is the new one). */
export function redirectedNotice(ticket: Ticket): OutgoingMessage {
  return { text: `↪️ Votre question (ticket #${ticket.id}) a été transmise ${receiverAfterA(ticket.receiver)}, plus à même d'y répondre.` };
}

export function closedNotice(ticket: Ticket): OutgoingMessage {
  return { text: `🔒 Votre ticket #${ticket.id} est clos. Pour une nouvelle question, écrivez-moi ou tapez \`/referent votre question\`.` };
}

export function followUpMessage(ticket: Ticket, text: string): OutgoingMessage {
  return {
    text: `❓ **Ticket #${ticket.id}** — ${mentionUser(ticket.askerUsername)} a encore une question :\n\n${quote(text)}`,
    buttons: receiverButtons(ticket, ['answer', 'close']),
  };
}

export function reminderMessage(ticket: Ticket, timeZone: string): OutgoingMessage {
  return {
    text:
      `⏰ Rappel : le **ticket #${ticket.id}**${isAskerErased(ticket) ? '' : ` de ${mentionUser(ticket.askerUsername)}`}, reçu le ${dateFormat(timeZone).format(ticket.createdAt)}, ` +
      `attend toujours d'être pris en charge.\n\n${quote(ticket.question)}`,
    buttons: receiverButtons(ticket, ['claim', 'redirect']),
  };
}

export function fallbackCard(ticket: Ticket, directory: Directory | undefined, timeZone: string): OutgoingMessage {
  return ticketCard(ticket, {
    directory,
    heading:
      `🚨 **Ticket #${ticket.id}** sans prise en charge depuis le ${dateFormat(timeZone).format(ticket.createdAt)} ` +
      `(destinataire : ${describeReceiver(ticket.receiver)}). Quelqu'un peut-il s'en occuper ?`,
  });
}
