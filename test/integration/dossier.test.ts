import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/bot-harness.js';
import { waitFor, type StandInPost } from '../support/mattermost-stand-in.js';

type Action = { id: string; name: string; integration?: { url: string; context: Record<string, unknown> } };
const actionsOf = (post: StandInPost): Action[] =>
  ((post.props.attachments ?? []) as { actions?: Action[] }[]).flatMap((attachment) => attachment.actions ?? []);

describe('/dossier through Mattermost', () => {
  let world: World;

  beforeEach(async () => {
    world = await startWorld({ commandTriggers: ['dossier'] });
  });
  afterEach(async () => {
    await world.close();
  });

  const fiches = () => world.app.db.prepare('SELECT title, environment, audience, format FROM dossier_fiches ORDER BY id').all();
  const latest = () => world.mm.ephemeralsFor(world.alice).at(-1)!;
  const openChecklist = async (): Promise<StandInPost> => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/dossier');
    expect(outcome.ok).toBe(true);
    expect(outcome.posts).toHaveLength(0);
    return outcome.ephemerals[0]!;
  };

  it('shows the checklist privately, with buttons, and a click ticks the item in a refreshed card', async () => {
    const card = await openChecklist();
    expect(card.message).toContain('▱▱▱▱▱ 0/11');
    expect(actionsOf(card).map((action) => action.name)).toContain('➕ Ajouter une fiche action');
    expect(world.mm.ephemeralsFor(world.bob)).toHaveLength(0);

    const click = await world.mm.clickButton(world.alice, card, '⬜ Dossier pro');
    expect(click).toMatchObject({ ok: true, httpStatus: 200 });
    const refreshed = await waitFor(() => (latest().message.includes('✅ Dossier professionnel rédigé') ? latest() : undefined), { what: 'the refreshed checklist' });
    expect(refreshed.message).toContain('1/11');
    expect(actionsOf(refreshed).map((action) => action.name)).toContain('✅ Dossier pro');
    expect(world.app.db.prepare('SELECT item FROM dossier_items').all()).toEqual([{ item: 'dp' }]);
  });

  it('« Ajouter une fiche action » opens a dialog; a 300-character title gets French errors; a valid one is stored', async () => {
    const card = await openChecklist();
    await world.mm.clickButton(world.alice, card, '➕ Ajouter une fiche action');
    const dialog = await waitFor(() => world.mm.dialogs.at(-1), { what: 'the fiche dialog' });
    expect(dialog.userId).toBe(world.alice.id);
    expect(dialog.warnings).toEqual([]);

    const tooLong = await world.mm.submitDialog(world.alice, dialog, { titre: 'x'.repeat(300), environnement: 'tablette', public: 'seniors', modalite: 'collectif' });
    expect(tooLong).toMatchObject({ ok: true, body: { errors: { titre: 'Le titre est trop long (300 caractères) : 100 caractères au maximum.' } } });
    const empty = await world.mm.submitDialog(world.alice, dialog, { titre: 'Atelier', environnement: '', public: '', modalite: 'collectif' });
    expect(empty.body).toMatchObject({ errors: { environnement: expect.any(String), public: expect.any(String) } });
    expect(fiches()).toEqual([]);

    const saved = await world.mm.submitDialog(world.alice, dialog, { titre: 'Atelier smartphone', environnement: 'smartphone Android', public: 'seniors', modalite: 'collectif' });
    expect(saved).toMatchObject({ ok: true, body: {} });
    expect(fiches()).toEqual([{ title: 'Atelier smartphone', environment: 'smartphone Android', audience: 'seniors', format: 'collectif' }]);
    await waitFor(() => latest().message.includes('Fiche 1 ajoutée.'), { what: 'the confirmation' });
  });

  it('edits a fiche from its own view with a prefilled dialog', async () => {
    await world.mm.executeCommand(world.alice, world.channel, '/dossier fiche ajouter "Atelier" environnement: tablette public: seniors groupe');
    const card = await openChecklist();
    await world.mm.clickButton(world.alice, card, 'Fiche 1');
    const view = await waitFor(() => (latest().message.includes('**Fiche action 1**') ? latest() : undefined), { what: 'the fiche view' });
    await world.mm.clickButton(world.alice, view, '✏️ Modifier');
    const dialog = await waitFor(() => world.mm.dialogs.at(-1), { what: 'the edit dialog' });
    expect(dialog.warnings).toEqual([]);
    const elements = dialog.dialog.elements as { name: string; default?: string }[];
    expect(elements.find((element) => element.name === 'titre')?.default).toBe('Atelier');
    const saved = await world.mm.submitDialog(world.alice, dialog, { titre: 'Atelier tablette', environnement: 'tablette', public: 'seniors', modalite: 'individuel' });
    expect(saved).toMatchObject({ ok: true, body: {} });
    expect(fiches()).toEqual([{ title: 'Atelier tablette', environment: 'tablette', audience: 'seniors', format: 'individuel' }]);
  });

  it('refuses a forged button with 403, a foreign one with an ephemeral text, and changes nothing', async () => {
    const card = await openChecklist();
    const stored = world.mm.ephemerals.get(card.id) ?? world.mm.posts.get(card.id);
    const integration = actionsOf(stored!).find((action) => action.name === '⬜ Dossier pro')!.integration!;
    const base = { user_id: world.alice.id, user_name: 'alice', channel_id: world.channel.id, post_id: card.id };
    const invented = await world.mm.postJsonToIntegration(integration.url, { ...base, context: { action: 'dossier.toggle', item: 'dp', done: true } });
    expect(invented.httpStatus).toBe(403);
    const tampered = await world.mm.postJsonToIntegration(integration.url, { ...base, context: { ...integration.context, p: { item: 'pix', done: true } } });
    expect(tampered.httpStatus).toBe(403);
    const bob = await world.mm.postJsonToIntegration(integration.url, { ...base, user_id: world.bob.id, user_name: 'bob', context: integration.context });
    // Was 403: the refusal must reach Bob, and Mattermost shows only the body of a 200 answer.
    expect(bob).toMatchObject({ httpStatus: 200, body: { ephemeral_text: expect.stringContaining("n'est pas valable pour vous") } });
    expect(world.app.db.prepare('SELECT COUNT(*) AS n FROM dossier_items').get()).toEqual({ n: 0 });
  });
});
