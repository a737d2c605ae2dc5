import { describe, expect, it } from 'vitest';
import { choicesAsText, createChoiceMemory, parsePick, resolveTyped } from '../../../src/core/choices.js';
import { aCommand, aMessage, aUser } from '../../support/test-app.js';

const buttons = [
  { label: 'Oui', action: 'essai.oui', payload: { v: 1 } },
  { label: 'Non', action: 'essai.non', command: '/essai non' },
];
const now = new Date('2026-12-04T10:00:00Z');

describe('typed choices', () => {
  it('reads a pick as a person types it, and nothing else', () => {
    expect([parsePick('2'), parsePick(' 2 '), parsePick('2.'), parsePick('n°2'), parsePick('12')]).toEqual([2, 2, 2, 2, 12]);
    expect([parsePick('0'), parsePick('123'), parsePick('2 fiches'), parsePick('ccp1'), parsePick('')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('remembers the latest buttons per person and conversation, for a day, and forgets the oldest beyond the limit', () => {
    const memory = createChoiceMemory({ maxConversations: 2 });
    memory.remember('alice', 'c1', buttons, now);
    expect(memory.current('alice', 'c1', now)).toEqual(buttons);
    expect(memory.current('alice', 'c2', now)).toEqual([]);
    expect(memory.current('bob', 'c1', now)).toEqual([]);
    expect(memory.current('alice', 'c1', new Date(now.getTime() + 24 * 60 * 60 * 1000))).toEqual([]);
    memory.remember('alice', 'c1', buttons, now);
    memory.remember('bob', 'c1', buttons, now);
    memory.remember('carol', 'c1', buttons, now);
    expect(memory.current('alice', 'c1', now)).toEqual([]);
    expect(memory.current('carol', 'c1', now)).toEqual(buttons);
  });

  it('turns `/certif 1` and `1` into the click, `aide` into `/certif aide`, and leaves other inputs alone', () => {
    const memory = createChoiceMemory();
    memory.remember('user-alice', 'console', buttons, now);
    expect(resolveTyped(aCommand('certif', '1'), memory, now)).toMatchObject({ kind: 'input', incoming: { kind: 'action', action: 'essai.oui', payload: { v: 1 }, user: aUser() } });
    expect(resolveTyped(aMessage('2'), memory, now)).toMatchObject({ kind: 'input', incoming: { kind: 'action', action: 'essai.non', payload: {} } });
    expect(resolveTyped(aMessage('@certif-bot 2'), memory, now)).toMatchObject({ kind: 'input', incoming: { kind: 'action', action: 'essai.non' } });
    expect(resolveTyped(aMessage('Aide !'), memory, now)).toMatchObject({ kind: 'input', incoming: { kind: 'command', command: 'certif', text: 'aide' } });
    expect(resolveTyped(aMessage('aide moi pour le ccp1'), memory, now)).toMatchObject({ kind: 'input', incoming: { kind: 'message' } });
    expect(resolveTyped(aCommand('dossier', '1'), memory, now)).toMatchObject({ kind: 'input', incoming: { kind: 'command', command: 'dossier' } });
    const wrong = resolveTyped(aMessage('3'), memory, now);
    expect(wrong).toMatchObject({ kind: 'reply', reply: { text: "Il n'y a pas de choix 3 dans la dernière liste : tapez un numéro de 1 à 2.", buttons } });
    expect(resolveTyped(aMessage('1', { user: aUser({ id: 'user-bob' }) }), memory, now)).toMatchObject({ kind: 'reply', reply: { text: expect.stringContaining("pas de liste de choix en cours") } });
  });

  it('writes choices as commands: a button’s own, or its number', () => {
    expect(choicesAsText(buttons)).toBe('Au clavier, tapez :\n- `/certif 1` : Oui\n- `/essai non` : Non');
  });
});
