import { describe, expect, it, vi } from 'vitest';
import { createEscalationStore, ESCALATION_MIGRATIONS, type NewTicket } from '../../../src/features/escalation/store.js';
import { openDatabase } from '../../../src/storage/database.js';

const T0 = new Date('2026-11-23T09:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const NEW_TICKET: NewTicket = {
  askerId: 'user-alice',
  askerUsername: 'alice',
  question: 'Quand vais-je recevoir ma convocation ?',
  questionId: null,
  topic: 'convocation',
  route: null,
  candidates: ['Convocation au CCP'],
  profile: { trainingBodyId: 'of-nord', cohortId: 'nord-mars' },
  receiverKind: 'organisme',
  receiver: { channel: 'support-nord' },
  remindAt: later(60),
  fallbackAt: later(120),
};

function setup() {
  const db = openDatabase({ file: ':memory:', migrations: ESCALATION_MIGRATIONS });
  const store = createEscalationStore(db);
  return { db, store };
}

describe('escalation store', () => {
  it('prepares its statements once: only a new shape of updateTicket prepares one, the first time', () => {
    const { db, store } = setup();
    const prepare = vi.spyOn(db, 'prepare');
    const actor = { id: 'user-alice', username: 'alice' };
    const { id } = store.createTicket(NEW_TICKET, actor, T0);
    store.getProfile('user-alice');
    store.createRequest({ userId: 'user-alice', question: 'Une question ?', questionId: null, topic: null, route: null, candidates: [] }, T0);
    store.addEvent(id, actor, 'noted', 'open', 'open', null, T0);
    store.events(id);
    store.openTickets();
    store.allTickets();
    store.dueForFollowUp(T0);
    expect(prepare).not.toHaveBeenCalled();

    store.updateTicket(id, { state: 'claimed', claimedBy: 'bob' }, later(1));
    store.updateTicket(id, { state: 'answered', claimedBy: 'bob' }, later(2));
    store.updateTicket(id, { helped: true }, later(3));
    store.updateTicket(id, { helped: false }, later(4));
    expect(prepare).toHaveBeenCalledTimes(2);
  });

  it('writes every kind of change, whatever the order of the fields given', () => {
    const { store } = setup();
    const { id } = store.createTicket(NEW_TICKET, { id: 'user-alice', username: 'alice' }, T0);
    store.updateTicket(id, { claimedBy: 'bob', state: 'claimed' }, later(1));
    store.updateTicket(id, { state: 'open', claimedBy: null, receiver: { user: 'dominique' }, receiverKind: 'referent', cardKey: `ticket-${id}-card-2`, remindAt: later(90) }, later(2));
    expect(store.getTicket(id)).toMatchObject({
      state: 'open',
      claimedBy: null,
      receiver: { user: 'dominique' },
      receiverKind: 'referent',
      cardKey: `ticket-${id}-card-2`,
      remindAt: later(90),
      updatedAt: later(2),
      helped: null,
    });
    store.updateTicket(id, { helped: false }, later(3));
    expect(store.getTicket(id)!.helped).toBe(false);
    store.updateTicket(id, { helped: null, state: 'closed', closedAt: later(4) }, later(4));
    expect(store.getTicket(id)).toMatchObject({ helped: null, state: 'closed', closedAt: later(4) });
  });

  it('lists every ticket by id in one query', () => {
    const { store } = setup();
    const actor = { id: 'user-alice', username: 'alice' };
    const first = store.createTicket(NEW_TICKET, actor, T0);
    const second = store.createTicket({ ...NEW_TICKET, question: 'Et le jury ?' }, actor, later(1));
    store.updateTicket(first.id, { state: 'closed', closedAt: later(2) }, later(2));
    expect(store.allTickets().map((ticket) => [ticket.id, ticket.state, ticket.question])).toEqual([
      [first.id, 'closed', NEW_TICKET.question],
      [second.id, 'open', 'Et le jury ?'],
    ]);
  });
});
