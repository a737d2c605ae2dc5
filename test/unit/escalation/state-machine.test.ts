import { describe, expect, it } from 'vitest';
import { ACTIONS, ticketCard } from '../../../src/features/escalation/cards.js';
import { allowed, STATE_LABELS, TICKET_COMMANDS, transition, type TicketCommand, type TicketState } from '../../../src/features/escalation/state-machine.js';
import type { Ticket } from '../../../src/features/escalation/store.js';

const from = (state: TicketState, claimedBy: string | null = null) => ({ state, claimedBy });

describe('ticket state machine', () => {
  it('follows open → claimed → answered → closed', () => {
    expect(transition(from('open'), 'claim')).toEqual({ ok: true, to: 'claimed' });
    expect(transition(from('claimed', 'bob'), 'answer')).toEqual({ ok: true, to: 'answered' });
    expect(transition(from('answered', 'bob'), 'close')).toEqual({ ok: true, to: 'closed' });
  });

  it('lets an open ticket be answered or closed directly', () => {
    expect(transition(from('open'), 'answer')).toEqual({ ok: true, to: 'answered' });
    expect(transition(from('open'), 'close')).toEqual({ ok: true, to: 'closed' });
  });

  it('refuses a second claim and says by whom', () => {
    const result = transition(from('claimed', 'bob'), 'claim');
    expect(result).toEqual({ ok: false, reason: 'Ce ticket est déjà pris en charge par @bob.' });
  });

  it('redirects open and claimed tickets back to open, but not answered ones', () => {
    expect(transition(from('claimed', 'bob'), 'redirect')).toEqual({ ok: true, to: 'open' });
    expect(transition(from('answered', 'bob'), 'redirect').ok).toBe(false);
  });

  it('reopens an answered ticket for the one who took it', () => {
    expect(transition(from('answered', 'bob'), 'reopen')).toEqual({ ok: true, to: 'claimed' });
    expect(transition(from('answered'), 'reopen')).toEqual({ ok: true, to: 'open' });
    expect(transition(from('open'), 'reopen').ok).toBe(false);
  });

  it.each<[TicketCommand, string]>([
    ['claim', 'Ce ticket est déjà clos.'],
    ['answer', 'Ce ticket est déjà clos.'],
    ['redirect', 'Ce ticket est déjà clos.'],
    // The asker reopens: she is told how to ask something new.
    ['reopen', 'Ce ticket est clos : pour une nouvelle question, tapez `/referent` suivi de votre question.'],
    ['close', 'Ce ticket est déjà clos.'],
  ])('refuses %s on a closed ticket', (command, reason) => {
    expect(transition(from('closed', 'bob'), command)).toEqual({ ok: false, reason });
  });

  it('tells why a command does not apply, in French, for every refusal', () => {
    expect(transition(from('claimed'), 'claim')).toEqual({ ok: false, reason: 'Ce ticket est déjà pris en charge.' });
    expect(transition(from('answered', 'bob'), 'claim')).toEqual({ ok: false, reason: 'Ce ticket a déjà reçu une réponse.' });
    expect(transition(from('answered', 'bob'), 'redirect')).toEqual({
      ok: false,
      reason: 'Ce ticket a déjà reçu une réponse : clôturez-le plutôt que de le rediriger.',
    });
    expect(transition(from('open'), 'reopen')).toEqual({ ok: false, reason: 'Votre question est déjà en cours de traitement.' });
    expect(transition(from('claimed', 'bob'), 'reopen')).toEqual({ ok: false, reason: 'Votre question est déjà en cours de traitement.' });
  });

  it('names each state in French (the admin table shows these labels)', () => {
    expect(STATE_LABELS).toEqual({ open: 'en attente', claimed: 'pris en charge', answered: 'répondu', closed: 'clos' });
  });

  it('says which commands each state allows, from transition alone', () => {
    const table = Object.fromEntries(
      (['open', 'claimed', 'answered', 'closed'] as const).map((state) => [state, TICKET_COMMANDS.filter((command) => allowed(from(state, 'bob'), command))]),
    );
    expect(table).toEqual({
      open: ['claim', 'answer', 'redirect', 'close'],
      claimed: ['answer', 'redirect', 'close'],
      answered: ['answer', 'reopen', 'close'],
      closed: [],
    });
  });
});

describe('ticket card buttons', () => {
  const ticket = (state: TicketState): Ticket => ({
    id: 7,
    askerId: 'user-alice',
    askerUsername: 'alice',
    question: 'Quand vais-je recevoir ma convocation ?',
    questionId: null,
    topic: null,
    route: null,
    candidates: [],
    trainingBodyId: null,
    cohortId: null,
    receiverKind: 'organisme',
    receiver: { channel: 'support-nord' },
    receiverChannelId: null,
    fallbackChannelId: null,
    cardKey: 'ticket-7-card-1',
    state,
    claimedBy: state === 'open' ? null : 'bob',
    answer: state === 'answered' || state === 'closed' ? 'Par courriel.' : null,
    answeredBy: state === 'answered' || state === 'closed' ? 'bob' : null,
    helped: null,
    remindAt: new Date('2026-11-24T09:00:00Z'),
    fallbackAt: new Date('2026-11-25T09:00:00Z'),
    remindedAt: null,
    fallbackSentAt: null,
    createdAt: new Date('2026-11-23T09:00:00Z'),
    updatedAt: new Date('2026-11-23T09:00:00Z'),
    closedAt: state === 'closed' ? new Date('2026-11-23T10:00:00Z') : null,
  });
  const ACTION_OF: Partial<Record<TicketCommand, string>> = {
    claim: ACTIONS.claim,
    answer: ACTIONS.answer,
    redirect: ACTIONS.redirect,
    close: ACTIONS.close,
  };

  it.each<TicketState>(['open', 'claimed', 'answered', 'closed'])('offers on a %s ticket exactly the receiver commands the state machine allows', (state) => {
    const card = ticketCard(ticket(state), { directory: undefined });
    const expected = TICKET_COMMANDS.filter((command) => command !== 'reopen' && allowed(ticket(state), command)).map((command) => ACTION_OF[command]);
    expect((card.buttons ?? []).map((button) => button.action)).toEqual(expected);
  });

  it('keeps the labels of each state', () => {
    const labels = (state: TicketState) => (ticketCard(ticket(state), { directory: undefined }).buttons ?? []).map((button) => button.label);
    expect(labels('open')).toEqual(['Je prends', 'Répondre', 'Rediriger', 'Clore']);
    expect(labels('claimed')).toEqual(['Répondre', 'Rediriger', 'Clore']);
    expect(labels('answered')).toEqual(['Compléter la réponse', 'Clore']);
    expect(labels('closed')).toEqual([]);
  });
});
