import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/bot-harness.js';
import { waitFor, type StandInPost } from '../support/mattermost-stand-in.js';
import { registerProbeFeature } from '../support/probe-feature.js';

/**
 * Issue 16, finding 3: every button and dialog that changes state carries a one-time id; a replay of the same click or
 * submission gets the first answer and changes nothing, across a restart too.
 */

type Action = { name: string; integration?: { url: string; context: Record<string, unknown> } };
const actionsOf = (post: StandInPost): Action[] =>
  ((post.props.attachments ?? []) as { actions?: Action[] }[]).flatMap((attachment) => attachment.actions ?? []);

describe('replayed clicks and dialogs act once', () => {
  let world: World;
  afterEach(async () => {
    await world.close();
  });

  const count = (table: string) => (world.app.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('a click replayed (same button, same request) gets the first answer and stores one vote', async () => {
    world = await startWorld({ configure: registerProbeFeature });
    const answer = (await world.mm.executeCommand(world.alice, world.channel, '/sonde question')).ephemerals[0]!;
    const first = await world.mm.clickButton(world.alice, answer, '👍 Voter');
    const again = await world.mm.clickButton(world.alice, answer, '👍 Voter');
    expect(first).toMatchObject({ ok: true, body: { ephemeral_text: 'Merci pour votre vote.' } });
    expect(again.body).toEqual(first.body);
    expect(count('probe_votes')).toBe(1);
  });

  it('a dialog submitted three times stores once; a submission refused for a field can be corrected', async () => {
    world = await startWorld({ configure: registerProbeFeature });
    const answer = (await world.mm.executeCommand(world.alice, world.channel, '/sonde question')).ephemerals[0]!;
    await world.mm.clickButton(world.alice, answer, 'Formulaire');
    const dialog = await waitFor(() => world.mm.dialogs.at(-1));
    expect((await world.mm.submitDialog(world.alice, dialog, { nom: '' })).body).toMatchObject({ errors: { nom: expect.any(String) } });
    const outcomes = [];
    for (let time = 0; time < 3; time += 1) outcomes.push(await world.mm.submitDialog(world.alice, dialog, { nom: 'Alice' }));
    expect(outcomes.map((outcome) => outcome.body)).toEqual([{}, {}, {}]);
    expect(count('probe_forms')).toBe(1);
    // One confirmation, not three.
    expect(world.mm.ephemeralsFor(world.alice).filter((post) => post.message.startsWith('Formulaire reçu'))).toHaveLength(1);
  });

  it('« Ajouter une fiche action » submitted three times stores one fiche, even after a restart', async () => {
    world = await startWorld({ commandTriggers: ['dossier'] });
    const checklist = (await world.mm.executeCommand(world.alice, world.channel, '/dossier')).ephemerals[0]!;
    await world.mm.clickButton(world.alice, checklist, '➕ Ajouter une fiche action');
    const dialog = await waitFor(() => world.mm.dialogs.at(-1));
    const fiche = { titre: 'Atelier smartphone', environnement: 'smartphone Android', public: 'seniors', modalite: 'collectif' };
    await world.mm.submitDialog(world.alice, dialog, fiche);
    await world.mm.submitDialog(world.alice, dialog, fiche);
    await world.stopBot();
    await world.startBotAgain();
    const replayed = await world.mm.submitDialog(world.alice, { ...dialog, url: `${world.bot.url}/mattermost/dialog` }, fiche);
    expect(replayed).toMatchObject({ ok: true, httpStatus: 200, body: {} });
    expect(count('dossier_fiches')).toBe(1);
  });

  it('a click replayed after a restart still gets the first answer', async () => {
    world = await startWorld({ configure: registerProbeFeature });
    const answer = (await world.mm.executeCommand(world.alice, world.channel, '/sonde question')).ephemerals[0]!;
    const integration = actionsOf(world.mm.ephemerals.get(answer.id)!).find((action) => action.name === '👍 Voter')!.integration!;
    const click = { user_id: world.alice.id, user_name: 'alice', channel_id: world.channel.id, post_id: answer.id, context: integration.context };
    const first = await world.mm.postJsonToIntegration(integration.url, click);
    await world.stopBot();
    await world.startBotAgain();
    const again = await world.mm.postJsonToIntegration(`${world.bot.url}/mattermost/action`, click);
    expect(again).toMatchObject({ httpStatus: 200, body: first.body });
    expect(count('probe_votes')).toBe(1);
  });
});
