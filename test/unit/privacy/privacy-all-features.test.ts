import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.js';
import { aCommand, aMessage, aUser, anAction, createTestApp } from '../../support/test-app.js';

const textOf = (reply: Reply) => (reply.type === 'message' ? reply.text : '');

/** The real app: every feature declares what it keeps, so « mes données » and « oublier » cover all of it. */
describe('personal data across every feature', () => {
  it('shows then erases questions, dates, dossier and profile, and leaves other users alone', async () => {
    const app = createTestApp();
    const bob = aUser({ id: 'user-bob', username: 'bob' });
    await app.router.dispatch(aMessage('c quoi le délai pour passer le ccp1 ?'));
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    await app.router.dispatch(aCommand('dossier', 'coche dp'));
    await app.router.dispatch(aCommand('certif', 'profil organisme Organisme Exemple Nord cohorte Nord mars 2026'));
    await app.router.dispatch(aCommand('deadline', '15/09/2026', { user: bob }));

    const summary = textOf(await app.router.dispatch(aCommand('certif', 'mes-donnees')));
    for (const label of ['Questions posées et avis', 'Dates et rappels', 'Dossier d’examen', 'Tickets et profil']) {
      expect(summary).toContain(label);
    }
    const exported = app.notifier.posts.find((post) => post.message.file?.name === 'certif-bot-mes-donnees.json');
    const document = JSON.parse(String(exported?.message.file?.content)) as { categories: { category: string }[] };
    // Four features, and the answers kept for replayed clicks (handled-inputs.ts).
    expect(document.categories.map((category) => category.category)).toHaveLength(5);

    const confirm = await app.router.dispatch(aCommand('certif', 'oublier'));
    const eraseButton = confirm.type === 'message' ? confirm.buttons?.find((button) => button.action === 'privacy.erase') : undefined;
    // Someone else clicking that button erases nothing.
    expect(textOf(await app.router.dispatch(anAction('privacy.erase', { ...eraseButton?.payload }, { user: bob })))).toContain('ne vous est pas destiné');
    const erased = textOf(await app.router.dispatch(anAction('privacy.erase', { ...eraseButton?.payload })));
    expect(erased).toContain("C'est fait");

    expect(textOf(await app.router.dispatch(aCommand('certif', 'mes-donnees')))).toBe('Je ne garde aucune donnée vous concernant pour le moment.');
    expect(textOf(await app.router.dispatch(aCommand('certif', 'mes-donnees', { user: bob })))).toContain('Dates et rappels');
    await app.close();
  });
});
