import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { UserFacingError } from '../../core/errors.js';
import type { OutgoingMessage } from '../../core/notifier.js';
import { mentionUser } from '../../core/safe-text.js';
import { writePrivateFile } from '../../storage/private-files.js';
import { foldText } from '../../core/text.js';
import type { Logger } from '../../logger.js';
import type { Directory, Receiver } from './directory.js';
import {
  claimedNotice,
  closedNotice,
  fallbackCard,
  followUpMessage,
  redirectedCard,
  redirectedNotice,
  relayMessage,
  reminderMessage,
  ticketCard,
} from './cards.js';
import type { Outbox, OutboxRole } from './outbox.js';
import { describeReceiver, receiverAfterA, type Profile } from './routing.js';
import { transition, type TicketCommand, type TicketState, type TicketStatus } from './state-machine.js';
import { isAskerErased, type Actor, type EscalationRequest, type EscalationStore, type Ticket, type TicketChanges } from './store.js';
import { addWorkingTime } from './working-time.js';

/**
 * Ticket operations. Each one checks the transition, changes the ticket, records the event and enqueues every
 * message it implies in ONE transaction, then asks the outbox to deliver: a crash or an outage after the commit
 * loses nothing, and nothing is posted for a change that was not committed.
 */

export interface TicketServiceDeps {
  store: EscalationStore;
  outbox: Outbox;
  directory: () => Directory | undefined;
  timeZone: string;
  remindAfterMinutes: number;
  fallbackChannel: () => string | undefined;
  dataDir: string;
  /** Called after each committed change (drain the outbox now). */
  kick: () => void;
  log: Logger;
}

/** What a redirect or a close makes obsolete when it was not delivered yet: the old card, its reminder, its fallback copy. */
const CARD_ROLES: readonly OutboxRole[] = ['card', 'reminder', 'fallback'];

export type Destination = { receiverKind: Ticket['receiverKind']; receiver: Receiver; reason?: string };

const targetOf = (receiver: Receiver) => ('user' in receiver ? `user:${receiver.user}` : `channel:${receiver.channel}`);
const kindOf = (receiver: Receiver): 'direct' | 'channel' => ('user' in receiver ? 'direct' : 'channel');

const EVENT_OF: Readonly<Record<TicketCommand, string>> = {
  claim: 'claimed',
  answer: 'answered',
  redirect: 'redirected',
  reopen: 'reopened',
  close: 'closed',
};

/** The state the command leads to, or the state machine's refusal as a UserFacingError (its text, said once). */
export function requireTransition(ticket: TicketStatus, command: TicketCommand): TicketState {
  const result = transition(ticket, command);
  if (!result.ok) throw new UserFacingError(result.reason);
  return result.to;
}

export function createTicketService(deps: TicketServiceDeps) {
  const { store, outbox } = deps;

  const schedule = (from: Date) => ({
    remindAt: addWorkingTime(from, deps.remindAfterMinutes, deps.timeZone),
    fallbackAt: addWorkingTime(from, deps.remindAfterMinutes * 2, deps.timeZone),
  });

  function load(id: number): Ticket {
    const ticket = store.getTicket(id);
    if (!ticket) throw new UserFacingError(`Je ne trouve pas le ticket #${id}.`);
    return ticket;
  }

  function send(ticket: Ticket, key: string, role: OutboxRole, to: { kind: 'direct' | 'channel' | 'update'; target: string }, message: OutgoingMessage, now: Date, rootKey?: string): void {
    outbox.enqueue({ kind: to.kind, target: to.target, message, key: `ticket-${ticket.id}-${key}`, ticketId: ticket.id, role, rootKey }, now);
  }

  /** A message to the asker, unless she had her data erased: there is nobody left to tell. */
  function sendToAsker(ticket: Ticket, key: string, role: OutboxRole, message: OutgoingMessage, now: Date): void {
    if (isAskerErased(ticket)) return;
    send(ticket, key, role, { kind: 'direct', target: `id:${ticket.askerId}` }, message, now);
  }
  const toReceiver = (ticket: Ticket) => ({ kind: kindOf(ticket.receiver), target: targetOf(ticket.receiver) });
  const fallbackKeyOf = (id: number, cardKey: string) => `ticket-${id}-fallback-${cardKey}`;

  /** Updates a posted (or still to be posted) card; nothing when that card was superseded before being posted. */
  function updateCard(ticket: Ticket, target: string, message: OutgoingMessage, key: string, now: Date): void {
    if (!outbox.row(target) || outbox.isSuperseded(target)) return;
    outbox.enqueue({ kind: 'update', target, message, key: `ticket-${ticket.id}-${key}`, ticketId: ticket.id, role: 'card-update' }, now);
  }

  function refreshCard(ticket: Ticket, eventId: number, now: Date): void {
    const card = ticketCard(ticket, { directory: deps.directory() });
    updateCard(ticket, ticket.cardKey, card, `ev${eventId}-card`, now);
    if (ticket.fallbackSentAt) {
      // The fallback channel's copy changes too, so nobody there takes a ticket already taken.
      updateCard(ticket, fallbackKeyOf(ticket.id, ticket.cardKey), card, `ev${eventId}-fallback`, now);
    }
  }

  /** Applies a state command: checks it, saves the changes and the event; returns the new ticket and the event id. */
  function apply(id: number, command: TicketCommand, actor: Actor, changes: TicketChanges, detail: string | null, now: Date): { ticket: Ticket; eventId: number } {
    const before = load(id);
    const to = requireTransition(before, command);
    store.updateTicket(id, { ...changes, state: to }, now);
    const eventId = store.addEvent(id, actor, EVENT_OF[command], before.state, to, detail, now);
    return { ticket: load(id), eventId };
  }

  function committed<T>(work: () => T): T {
    const result = store.transaction(work);
    deps.kick();
    return result;
  }

  return {
    schedule,

    create(request: EscalationRequest, asker: { id: string; username: string }, profile: Profile | undefined, destination: Destination, now: Date): Ticket {
      return committed(() => {
        const ticket = store.createTicket(
          {
            askerId: asker.id,
            askerUsername: asker.username,
            question: request.question,
            questionId: request.questionId,
            topic: request.topic,
            route: request.route,
            candidates: request.candidates,
            profile,
            receiverKind: destination.receiverKind,
            receiver: destination.receiver,
            ...schedule(now),
          },
          { id: asker.id, username: asker.username },
          now,
        );
        store.markRequestUsed(request.id, ticket.id);
        outbox.enqueue(
          {
            kind: kindOf(ticket.receiver),
            target: targetOf(ticket.receiver),
            message: ticketCard(ticket, { directory: deps.directory(), reason: destination.reason }),
            key: ticket.cardKey,
            ticketId: ticket.id,
            role: 'card',
          },
          now,
        );
        return ticket;
      });
    },

    claim(id: number, actor: Actor & { username: string }, now: Date): Ticket {
      return committed(() => {
        const { ticket, eventId } = apply(id, 'claim', actor, { claimedBy: actor.username }, null, now);
        refreshCard(ticket, eventId, now);
        sendToAsker(ticket, `ev${eventId}-notice`, 'notice', claimedNotice(ticket, actor.username), now);
        return ticket;
      });
    },

    answer(id: number, actor: Actor & { username: string }, text: string, now: Date): Ticket {
      const answer = text.trim();
      if (answer.length < 2) throw new UserFacingError('La réponse est vide.');
      return committed(() => {
        const before = load(id);
        const { ticket, eventId } = apply(
          id,
          'answer',
          actor,
          { answer, answeredBy: actor.username, claimedBy: before.claimedBy ?? actor.username, helped: null },
          answer,
          now,
        );
        refreshCard(ticket, eventId, now);
        sendToAsker(ticket, `ev${eventId}-relay`, 'relay', relayMessage(ticket, answer, actor.username), now);
        return ticket;
      });
    },

    redirect(id: number, actor: Actor & { username: string }, destination: Destination, now: Date): Ticket {
      return committed(() => {
        const before = load(id);
        // A closed or answered ticket is refused for that, whatever the destination.
        requireTransition(before, 'redirect');
        const same = targetOf(before.receiver) === targetOf(destination.receiver);
        if (same) throw new UserFacingError(`Ce ticket est déjà adressé ${receiverAfterA(destination.receiver)}.`);
        const events = store.events(id).filter((event) => event.event === 'redirected').length;
        const cardKey = `ticket-${id}-card-${events + 2}`;
        const to = describeReceiver(destination.receiver);
        const { ticket, eventId } = apply(
          id,
          'redirect',
          actor,
          {
            receiverKind: destination.receiverKind,
            receiver: destination.receiver,
            receiverChannelId: null,
            // The old fallback channel's copy is retired below: that channel no longer has a say on the ticket.
            fallbackChannelId: null,
            claimedBy: null,
            cardKey,
            remindedAt: null,
            fallbackSentAt: null,
            ...schedule(now),
          },
          to,
          now,
        );
        // What the old receiver was still to receive (card, reminder, fallback copy) is obsolete: never sent.
        outbox.supersede(id, CARD_ROLES, 'annulé : ticket redirigé', now);
        const oldCard = redirectedCard(before, to, actor.username);
        updateCard(ticket, before.cardKey, oldCard, `ev${eventId}-old-card`, now);
        // The fallback channel's copy loses its buttons too, or someone there would act on a ticket that left.
        if (before.fallbackSentAt) updateCard(ticket, fallbackKeyOf(id, before.cardKey), oldCard, `ev${eventId}-old-fallback`, now);
        outbox.enqueue(
          {
            kind: kindOf(ticket.receiver),
            target: targetOf(ticket.receiver),
            message: ticketCard(ticket, { directory: deps.directory(), reason: destination.reason ?? `Redirigé par ${mentionUser(actor.username)}.` }),
            key: cardKey,
            ticketId: id,
            role: 'card',
          },
          now,
        );
        sendToAsker(ticket, `ev${eventId}-notice`, 'notice', redirectedNotice(ticket), now);
        return ticket;
      });
    },

    /**
     * Closes the ticket. The FAQ draft is written after the commit, best effort: a file system problem never undoes
     * the close; `draftFailed` says the draft was asked for but could not be written.
     */
    close(
      id: number,
      actor: Actor & { username: string },
      options: { proposeFaq: boolean; byAsker?: boolean },
      now: Date,
    ): { ticket: Ticket; draftFile?: string; draftFailed?: true } {
      const detail = options.byAsker ? 'clos par la personne qui a posé la question' : options.proposeFaq ? 'proposé pour la FAQ' : null;
      const ticket = committed(() => {
        const { ticket: closed, eventId } = apply(id, 'close', actor, { closedAt: now }, detail, now);
        // A card, reminder or fallback copy not posted yet would show a closed ticket as waiting: never sent.
        outbox.supersede(id, CARD_ROLES, 'annulé : ticket clos', now);
        refreshCard(closed, eventId, now);
        // She closed it herself and is told so in her reply: no notice on top.
        if (!options.byAsker) sendToAsker(closed, `ev${eventId}-notice`, 'notice', closedNotice(closed), now);
        return closed;
      });
      if (!options.proposeFaq || !ticket.answer) return { ticket };
      try {
        return { ticket, draftFile: writeFaqDraft(ticket, actor.username, deps.dataDir, now) };
      } catch (error) {
        deps.log.error({ ticketId: id, dataDir: deps.dataDir, err: error }, 'escalation FAQ draft not written');
        return { ticket, draftFailed: true };
      }
    },

    helped(id: number, actor: Actor, now: Date): Ticket {
      return committed(() => {
        const ticket = load(id);
        if (ticket.state !== 'answered' && ticket.state !== 'closed') throw new UserFacingError("Ce ticket n'a pas encore de réponse.");
        store.updateTicket(id, { helped: true }, now);
        store.addEvent(id, actor, 'helped', ticket.state, ticket.state, null, now);
        return load(id);
      });
    },

    reopen(id: number, actor: Actor, text: string, now: Date): Ticket {
      const followUp = text.trim();
      if (followUp.length < 3) throw new UserFacingError('Écrivez votre question complémentaire en quelques mots.');
      return committed(() => {
        const { ticket, eventId } = apply(id, 'reopen', actor, { helped: false }, followUp, now);
        refreshCard(ticket, eventId, now);
        const rootKey = ticket.cardKey;
        send(ticket, `ev${eventId}-followup`, 'notice', toReceiver(ticket), followUpMessage(ticket, followUp), now, kindOf(ticket.receiver) === 'channel' ? rootKey : undefined);
        return ticket;
      });
    },

    /** Reminds the receiver of unclaimed tickets, then hands them to the fallback channel. Returns how many messages. */
    followUp(now: Date): number {
      let count = 0;
      for (const due of store.dueForFollowUp(now)) {
        committed(() => {
          const ticket = load(due.id);
          if (ticket.state !== 'open') return;
          if (!ticket.remindedAt && ticket.remindAt <= now) {
            send(ticket, `remind-${ticket.cardKey}`, 'reminder', toReceiver(ticket), reminderMessage(ticket, deps.timeZone), now);
            store.updateTicket(ticket.id, { remindedAt: now }, now);
            store.addEvent(ticket.id, { id: null, username: null }, 'reminded', 'open', 'open', describeReceiver(ticket.receiver), now);
            count += 1;
          }
          const fallback = deps.fallbackChannel();
          if (!ticket.fallbackSentAt && ticket.fallbackAt <= now && fallback) {
            const updated = load(ticket.id);
            outbox.enqueue(
              {
                kind: 'channel',
                target: `channel:${fallback}`,
                message: fallbackCard(updated, deps.directory(), deps.timeZone),
                key: `ticket-${ticket.id}-fallback-${ticket.cardKey}`,
                ticketId: ticket.id,
                role: 'fallback',
              },
              now,
            );
            store.updateTicket(ticket.id, { fallbackSentAt: now }, now);
            store.addEvent(ticket.id, { id: null, username: null }, 'fallback', 'open', 'open', fallback, now);
            count += 1;
          }
        });
      }
      return count;
    },
  };
}

export type TicketService = ReturnType<typeof createTicketService>;

const ROUTE_BY_KIND: Readonly<Record<string, string>> = {
  organisme: 'organisme-formation',
  referent: 'referent-cohorte',
};

function slugify(text: string): string {
  return (
    foldText(text)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .split('-')
      .slice(0, 8)
      .join('-') || 'question'
  );
}

/**
 * Learning loop: a draft knowledge entry (knowledge-schema.ts format) in DATA_DIR/drafts/, for curators. Never
 * loaded by the FAQ: a curator completes it (phrasings, a seed or dated URL source), reviews it and moves it.
 */
export function writeFaqDraft(ticket: Ticket, answeredBy: string, dataDir: string, now: Date): string {
  const dir = path.join(dataDir, 'drafts');
  const id = slugify(ticket.question);
  const title = ticket.question.replace(/\s+/g, ' ').trim();
  const frontMatter = {
    id,
    title: title.length > 120 ? `${title.slice(0, 117)}…` : title,
    questions: [title],
    topic: ticket.topic ?? 'contacts',
    route: ROUTE_BY_KIND[ticket.receiverKind] ?? 'referent-cohorte',
    sources: [`réponse de @${answeredBy} au ticket #${ticket.id}`],
    reviewed: now.toISOString().slice(0, 10),
  };
  const text =
    `---\n# BROUILLON issu du ticket #${ticket.id} — à relire avant publication : ajouter au moins 5 formulations,\n` +
    `# remplacer la source par un document seed ou une URL datée, vérifier le sujet et la route.\n` +
    `${stringifyYaml(frontMatter).trimEnd()}\n---\n${(ticket.answer ?? '').trim()}\n`;
  const file = path.join(dir, `ticket-${ticket.id}-${id}.md`);
  writePrivateFile(file, text);
  return file;
}
