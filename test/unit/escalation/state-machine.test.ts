import { describe, expect, it } from 'vitest';
import { transition, type TicketCommand, type TicketState } from '../../../src/features/escalation/state-machine.js';

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

  it.each<TicketCommand>(['claim', 'answer', 'redirect', 'reopen', 'close'])('refuses %s on a closed ticket', (command) => {
    expect(transition(from('closed', 'bob'), command)).toEqual({ ok: false, reason: 'Ce ticket est déjà clos.' });
  });
});
