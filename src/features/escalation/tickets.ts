import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { UserFacingError } from '../../core/errors.js';
import type { OutgoingMessage } from '../../core/notifier.js';
import { foldText } from '../../core/text.js';
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
import { describeReceiver, type Profile } from './routing.js';
import { transition, type TicketCommand } from './state-machine.js';
import type { Actor, EscalationRequest, EscalationStore, Ticket, TicketChanges } from './store.js';
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
}

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

  const toAsker = (ticket: Ticket) => ({ kind: 'direct' as const, target: `id:${ticket.askerId}` });
  const toReceiver = (ticket: Ticket) => ({ kind: kindOf(ticket.receiver), target: targetOf(ticket.receiver) });

  function refreshCard(ticket: Ticket, eventId: number, now: Date): void {
    const card = ticketCard(ticket, { directory: deps.directory() });
    outbox.enqueue({ kind: 'update', target: ticket.cardKey, message: card, key: `ticket-${ticket.id}-ev${eventId}-card`, ticketId: ticket.id, role: 'card-update' }, now);
    if (ticket.fallbackSentAt) {
      // The fallback channel's copy changes too, so nobody there takes a ticket already taken.
      const fallbackKey = `ticket-${ticket.id}-fallback-${ticket.cardKey}`;
      outbox.enqueue({ kind: 'update', target: fallbackKey, message: card, key: `ticket-${ticket.id}-ev${eventId}-fallback`, ticketId: ticket.id, role: 'card-update' }, now);
    }
  }

  /** Applies a state command: checks it, saves the changes and the event; returns the new ticket and the event id. */
  function apply(id: number, command: TicketCommand, actor: Actor, changes: TicketChanges, detail: string | null, now: Date): { ticket: Ticket; eventId: number } {
    const before = load(id);
    const result = transition(before, command);
    if (!result.ok) throw new UserFacingError(result.reason);
    store.updateTicket(id, { ...changes, state: result.to }, now);
    const eventId = store.addEvent(id, actor, EVENT_OF[command], before.state, result.to, detail, now);
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
        send(ticket, `ev${eventId}-notice`, 'notice', toAsker(ticket), claimedNotice(ticket, actor.username), now);
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
        send(ticket, `ev${eventId}-relay`, 'relay', toAsker(ticket), relayMessage(ticket, answer, actor.username), now);
        return ticket;
      });
    },

    redirect(id: number, actor: Actor & { username: string }, destination: Destination, now: Date): Ticket {
      return committed(() => {
        const before = load(id);
        const same = targetOf(before.receiver) === targetOf(destination.receiver);
        if (same) throw new UserFacingError(`Ce ticket est déjà adressé à ${describeReceiver(destination.receiver)}.`);
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
            claimedBy: null,
            cardKey,
            remindedAt: null,
            fallbackSentAt: null,
            ...schedule(now),
          },
          to,
          now,
        );
        outbox.enqueue(
          { kind: 'update', target: before.cardKey, message: redirectedCard(before, to, actor.username), key: `ticket-${id}-ev${eventId}-old-card`, ticketId: id, role: 'card-update' },
          now,
        );
        outbox.enqueue(
          {
            kind: kindOf(ticket.receiver),
            target: targetOf(ticket.receiver),
            message: ticketCard(ticket, { directory: deps.directory(), reason: destination.reason ?? `Redirigé par @${actor.username}.` }),
            key: cardKey,
            ticketId: id,
            role: 'card',
          },
          now,
        );
        send(ticket, `ev${eventId}-notice`, 'notice', toAsker(ticket), redirectedNotice(ticket, to), now);
        return ticket;
      });
    },

    close(id: number, actor: Actor & { username: string }, options: { proposeFaq: boolean }, now: Date): { ticket: Ticket; draftFile?: string } {
      return committed(() => {
        const { ticket, eventId } = apply(id, 'close', actor, { closedAt: now }, options.proposeFaq ? 'proposé pour la FAQ' : null, now);
        refreshCard(ticket, eventId, now);
        send(ticket, `ev${eventId}-notice`, 'notice', toAsker(ticket), closedNotice(ticket), now);
        const draftFile = options.proposeFaq && ticket.answer ? writeFaqDraft(ticket, actor.username, deps.dataDir, now) : undefined;
        return { ticket, draftFile };
      });
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
  mkdirSync(dir, { recursive: true });
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
  writeFileSync(file, text, 'utf8');
  return file;
}
