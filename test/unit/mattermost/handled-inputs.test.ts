import { describe, expect, it } from 'vitest';
import { createHandledInputStore, HANDLED_INPUT_MIGRATIONS } from '../../../src/mattermost/handled-inputs.js';
import { openDatabase } from '../../../src/storage/database.js';

describe('handled inputs (one-time ids of clicks and dialogs)', () => {
  it('lets the first through, holds a second while the first runs, then replays the first answer', () => {
    const store = createHandledInputStore(openDatabase({ file: ':memory:', migrations: HANDLED_INPUT_MIGRATIONS }));
    expect(store.claim('action:n1', 'alice', 1000, 5000)).toEqual({ kind: 'first' });
    expect(store.claim('action:n1', 'alice', 1001, 5000)).toEqual({ kind: 'in_progress' });
    store.complete('action:n1', { ephemeral_text: 'Merci.' });
    expect(store.claim('action:n1', 'alice', 1002, 5000)).toEqual({ kind: 'replay', response: { ephemeral_text: 'Merci.' } });
    // Released (nothing done: form errors, a dialog opened): the same id may come again.
    expect(store.claim('dialog:n2', 'alice', 1003, 5000)).toEqual({ kind: 'first' });
    store.release('dialog:n2');
    expect(store.claim('dialog:n2', 'alice', 1004, 5000)).toEqual({ kind: 'first' });
    expect(store.countFor('alice')).toBe(2);
    expect(store.eraseFor('alice')).toBe(2);
  });

  it('forgets an id once its button or dialog has expired', () => {
    const store = createHandledInputStore(openDatabase({ file: ':memory:', migrations: HANDLED_INPUT_MIGRATIONS }));
    store.claim('action:old', 'alice', 0, 10);
    store.complete('action:old', {});
    expect(store.prune(10)).toBe(1);
    expect(store.countFor('alice')).toBe(0);
  });
});
