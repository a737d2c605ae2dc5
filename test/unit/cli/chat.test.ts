import { describe, expect, it } from 'vitest';
import { runChat } from '../../../src/cli/chat.js';
import { runPiped } from '../../support/cli.js';

describe('certif-bot chat', () => {
  it('answers every line of piped input, even when all lines arrive in one chunk', async () => {
    const { out } = await runPiped('/deadline 31/08/2026\n/deadline pix 10/05/2026\n/inconnue\nquitter\n/deadline oublier\n', runChat);
    expect(out).toContain('28 février 2027');
    expect(out).toContain('10 mai 2029');
    expect(out).toContain("La commande `/inconnue` n'existe pas ici");
    // « quitter » ends the session: the line after it is not run.
    expect(out).not.toMatch(/effacé/i);
    expect(out.trimEnd().endsWith('À bientôt !')).toBe(true);
  });
});
