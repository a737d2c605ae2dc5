/**
 * The life of a ticket: open → claimed → answered → closed, with redirection (back to open, for another receiver)
 * and reopening (the asker has another question). Pure: the store applies the result and records the event.
 *
 * The ONE place where the rules live, with their refusal texts: the ticket service applies `transition`, the
 * handlers refuse a button with its reason before opening a dialog, and the cards offer only the buttons `allowed`.
 */

export type TicketState = 'open' | 'claimed' | 'answered' | 'closed';

export type TicketCommand = 'claim' | 'answer' | 'redirect' | 'reopen' | 'close';

export const TICKET_COMMANDS: readonly TicketCommand[] = ['claim', 'answer', 'redirect', 'reopen', 'close'];

export const STATE_LABELS: Readonly<Record<TicketState, string>> = {
  open: 'en attente',
  claimed: 'pris en charge',
  answered: 'répondu',
  closed: 'clos',
};

export type TransitionResult = { ok: true; to: TicketState } | { ok: false; reason: string };

/** What `transition` needs of a ticket. */
export type TicketStatus = { state: TicketState; claimedBy: string | null };

export function transition(ticket: TicketStatus, command: TicketCommand): TransitionResult {
  const { state } = ticket;
  if (state === 'closed') {
    // Only the asker reopens: she is told how to ask something new.
    if (command === 'reopen') return { ok: false, reason: 'Ce ticket est clos : pour une nouvelle question, tapez `/referent` suivi de votre question.' };
    return { ok: false, reason: 'Ce ticket est déjà clos.' };
  }
  switch (command) {
    case 'claim':
      if (state === 'open') return { ok: true, to: 'claimed' };
      if (state === 'claimed') return { ok: false, reason: `Ce ticket est déjà pris en charge${ticket.claimedBy ? ` par @${ticket.claimedBy}` : ''}.` };
      return { ok: false, reason: 'Ce ticket a déjà reçu une réponse.' };
    case 'answer':
      return { ok: true, to: 'answered' };
    case 'redirect':
      if (state === 'answered') return { ok: false, reason: 'Ce ticket a déjà reçu une réponse : clôturez-le plutôt que de le rediriger.' };
      return { ok: true, to: 'open' };
    case 'reopen':
      if (state !== 'answered') return { ok: false, reason: 'Votre question est déjà en cours de traitement.' };
      return { ok: true, to: ticket.claimedBy ? 'claimed' : 'open' };
    case 'close':
      return { ok: true, to: 'closed' };
  }
}

/** Whether the command applies to the ticket now (which buttons a card offers). */
export function allowed(ticket: TicketStatus, command: TicketCommand): boolean {
  return transition(ticket, command).ok;
}
