/**
 * The life of a ticket: open → claimed → answered → closed, with redirection (back to open, for another receiver)
 * and reopening (the asker has another question). Pure: the store applies the result and records the event.
 */

export type TicketState = 'open' | 'claimed' | 'answered' | 'closed';

export type TicketCommand = 'claim' | 'answer' | 'redirect' | 'reopen' | 'close';

export const STATE_LABELS: Readonly<Record<TicketState, string>> = {
  open: 'en attente',
  claimed: 'pris en charge',
  answered: 'répondu',
  closed: 'clos',
};

export type TransitionResult = { ok: true; to: TicketState } | { ok: false; reason: string };

export function transition(ticket: { state: TicketState; claimedBy: string | null }, command: TicketCommand): TransitionResult {
  const { state } = ticket;
  if (state === 'closed') return { ok: false, reason: 'Ce ticket est déjà clos.' };
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
