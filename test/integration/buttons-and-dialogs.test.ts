import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { createSigner } from '../../src/mattermost/signing.js';
import { ACTION_SECRET, startWorld, type World } from '../support/bot-harness.js';
import { connectAs, waitFor, type StandInPost } from '../support/mattermost-stand-in.js';
import { message } from '../../src/core/reply.js';
import { registerProbeFeature, type ProbeVote } from '../support/probe-feature.js';

type Action = { id: string; name: string; integration?: { url: string; context: Record<string, unknown> } };
const actionsOf = (post: StandInPost): Action[] =>
  ((post.props.attachments ?? []) as { actions?: Action[] }[]).flatMap((attachment) => attachment.actions ?? []);

describe('buttons and dialogs: unsigned callbacks from Mattermost, checked with our own signature', () => {
  let world: World;
  let answer: StandInPost;

  beforeEach(async () => {
    world = await startWorld({ configure: registerProbeFeature });
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde question');
    answer = outcome.ephemerals[0]!;
  });
  afterEach(async () => {
    await world.close();
  });

  const votes = () => world.app.db.prepare('SELECT user_id, choice, channel_id FROM probe_votes').all() as ProbeVote[];
  const storedContext = (post: StandInPost, label: string) => {
    const stored = world.mm.ephemerals.get(post.id) ?? world.mm.posts.get(post.id);
    return actionsOf(stored!).find((action) => action.name === label)!.integration!;
  };

  it('stores a click on an ephemeral answer and answers with ephemeral_text (no update: the post is not stored)', async () => {
    const outcome = await world.mm.clickButton(world.alice, answer, '👍 Voter');
    expect(outcome).toMatchObject({ ok: true, httpStatus: 200, body: { ephemeral_text: 'Merci pour votre vote.' } });
    expect(votes()).toEqual([{ user_id: world.alice.id, choice: 'oui', channel_id: world.channel.id }]);
    expect(world.mm.ephemeralsFor(world.alice).at(-1)?.message).toBe('Merci pour votre vote.');
  });

  it('never sends `update` for an ephemeral message: a replacement comes as a new ephemeral message', async () => {
    const outcome = await world.mm.clickButton(world.alice, answer, 'Remplacer');
    expect(outcome).toMatchObject({ ok: true, body: {} });
    expect(world.mm.ephemeralsFor(world.alice).at(-1)?.message).toBe('Message remplacé.');
  });

  // Six *different* buttons sharing one response_url: the same button clicked again is a replay (replays.test.ts).
  it('falls back to ephemeral_text (text only) once the response_url is used up (5 uses), its buttons listed as commands', async () => {
    const integration = storedContext(answer, 'Choisir');
    const signer = createSigner(ACTION_SECRET, fixedClock(new Date()));
    const click = (use: number) =>
      world.mm.postJsonToIntegration(integration.url, {
        user_id: world.alice.id,
        user_name: 'alice',
        channel_id: world.channel.id,
        post_id: answer.id,
        context: signer.signAction({
          action: String(integration.context.a),
          payload: integration.context.p as Record<string, string>,
          userId: world.alice.id,
          channelId: world.channel.id,
          origin: 'ephemeral',
          responseUrl: String(integration.context.ru),
          expiresAt: Date.now() + 60_000,
          once: `choisir-${use}`,
        }),
      });
    for (let use = 0; use < 5; use += 1) expect((await click(use)).body).toEqual({});
    const sixth = await click(5);
    // The text used to drop the reply's buttons (issue 18): they are listed with the command that picks each.
    expect(sixth).toMatchObject({ httpStatus: 200, body: { ephemeral_text: 'Voici la réponse sur pix.\n\nAu clavier, tapez :\n- `/certif 1` : 👍 Voter' } });
    // And typing it does what the button does.
    await world.mm.executeCommand(world.alice, world.channel, '/certif 1');
    expect(votes()).toEqual([{ user_id: world.alice.id, choice: 'oui', channel_id: world.channel.id }]);
  });

  it('shares: the bot posts in the channel as itself', async () => {
    const outcome = await world.mm.clickButton(world.alice, answer, 'Partager dans le canal');
    expect(outcome).toMatchObject({ ok: true, body: {} });
    const posts = world.mm.postsIn(world.channel);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ user_id: world.botUser.id, message: 'Réponse partagée sur ccp1.' });
  });

  it('answers a click with new buttons through the slash command’s response_url (ephemeral with attachments)', async () => {
    const outcome = await world.mm.clickButton(world.alice, answer, 'Choisir');
    expect(outcome).toMatchObject({ ok: true, body: {} });
    const shown = world.mm.ephemeralsFor(world.alice).at(-1)!;
    expect(shown.message).toBe('Voici la réponse sur pix.');
    expect(actionsOf(shown).map((action) => action.name)).toEqual(['👍 Voter']);
    // Those buttons work in turn.
    expect((await world.mm.clickButton(world.alice, shown, '👍 Voter')).ok).toBe(true);
    expect(votes()).toHaveLength(1);
  });

  it('updates a real post (posted by the bot over REST) when a feature replaces the original', async () => {
    await world.mm.clickButton(world.alice, answer, 'Partager dans le canal');
    const dm = world.mm.directChannel(world.alice, world.botUser);
    const posted = await world.bot.app.notifier.sendDirect(world.alice.id, { text: 'Un rappel', buttons: [{ label: 'Remplacer', action: 'sonde.replace' }] });
    expect(posted.channelId).toBe(dm.id);
    const post = world.mm.postsIn(dm).at(-1)!;
    const outcome = await world.mm.clickButton(world.alice, post, 'Remplacer');
    expect(outcome.ok).toBe(true);
    expect(outcome.body).toMatchObject({ update: { message: 'Message remplacé.' } });
    const updated = world.mm.postsIn(dm).at(-1)!;
    expect(updated.message).toBe('Message remplacé.');
    expect(actionsOf(updated).map((action) => action.name)).toEqual(['👍 Voter']);
  });

  // Was 403: Mattermost drops the body of a non-200 answer, so the refusal now comes as 200 + ephemeral_text.
  it('refuses another user’s click on a private answer with a French ephemeral text, and stores nothing', async () => {
    const integration = storedContext(answer, '👍 Voter');
    const forged = await world.mm.postJsonToIntegration(integration.url, {
      user_id: world.bob.id,
      user_name: 'bob',
      channel_id: world.channel.id,
      post_id: answer.id,
      context: integration.context,
    });
    expect(forged.httpStatus).toBe(200);
    expect(JSON.stringify(forged.body)).toContain("n'est pas valable pour vous");
    expect(votes()).toHaveLength(0);
  });

  // Forged and tampered contexts stay 403; an expired or replayed-elsewhere one is explained to the user (200).
  it('refuses a forged or tampered context with 403, an expired or foreign-channel one with an ephemeral text', async () => {
    const integration = storedContext(answer, '👍 Voter');
    const base = { user_id: world.alice.id, user_name: 'alice', channel_id: world.channel.id, post_id: answer.id };
    const tampered = await world.mm.postJsonToIntegration(integration.url, { ...base, context: { ...integration.context, p: { choice: 'non' } } });
    expect(tampered.httpStatus).toBe(403);
    const invented = await world.mm.postJsonToIntegration(integration.url, { ...base, context: { action: 'sonde.vote', choice: 'oui' } });
    expect(invented.httpStatus).toBe(403);
    const otherChannel = await world.mm.postJsonToIntegration(integration.url, { ...base, channel_id: 'anotherchannel', context: integration.context });
    expect(otherChannel).toMatchObject({ httpStatus: 200, body: { ephemeral_text: "Ce bouton n'est pas valable dans ce canal." } });
    // Signed with the right key, but expired yesterday.
    const past = createSigner(ACTION_SECRET, fixedClock('2020-01-01T00:00:00Z')).signAction({
      action: 'sonde.vote',
      payload: { choice: 'oui' },
      userId: world.alice.id,
      channelId: world.channel.id,
      origin: 'ephemeral',
      expiresAt: Date.now() - 86_400_000,
    });
    const expired = await world.mm.postJsonToIntegration(integration.url, { ...base, context: past });
    expect(expired.httpStatus).toBe(200);
    expect(JSON.stringify(expired.body)).toContain('expiré');
    // Signed with another secret.
    const foreign = createSigner('another-secret-another-secret-another-secret', fixedClock(new Date())).signAction({
      action: 'sonde.vote',
      payload: { choice: 'oui' },
      userId: world.alice.id,
      channelId: world.channel.id,
      origin: 'ephemeral',
      expiresAt: Date.now() + 60_000,
    });
    expect((await world.mm.postJsonToIntegration(integration.url, { ...base, context: foreign })).httpStatus).toBe(403);
    expect(votes()).toHaveLength(0);
  });

  it('a dialog submitted after its state expired says so in French (200 + error, not a discarded 403)', async () => {
    await world.mm.clickButton(world.alice, answer, 'Formulaire');
    const dialog = await waitFor(() => world.mm.dialogs.at(-1));
    const expiredState = createSigner(ACTION_SECRET, fixedClock('2020-01-01T00:00:00Z')).signDialogState({
      callbackId: 'sonde.form',
      state: { step: 2 },
      userId: world.alice.id,
      channelId: world.channel.id,
      expiresAt: Date.now() - 1000,
    });
    const outcome = await world.mm.submitDialog(world.alice, dialog, { nom: 'Alice' }, { state: expiredState });
    expect(outcome).toMatchObject({
      ok: true,
      httpStatus: 200,
      body: { error: 'Ce formulaire a expiré. Relancez la commande pour en ouvrir un nouveau.' },
    });
    expect(world.app.db.prepare('SELECT COUNT(*) AS n FROM probe_forms').get()).toEqual({ n: 0 });
  });

  it('answers malformed or oversized action JSON with 400 / 413', async () => {
    const url = `${world.bot.url}/mattermost/action`;
    expect((await world.mm.postJsonToIntegration(url, '{not json')).httpStatus).toBe(400);
    expect((await world.mm.postJsonToIntegration(url, { user_id: world.alice.id })).httpStatus).toBe(400);
    const big = await world.mm.postJsonToIntegration(url, { user_id: 'u', channel_id: 'c', context: { pad: 'x'.repeat(1024 * 1024) } });
    expect(big.httpStatus).toBe(413);
    expect((await world.mm.postJsonToIntegration(`${world.bot.url}/mattermost/dialog`, '[]')).httpStatus).toBe(400);
  });

  it('opens a dialog with the trigger id (limits respected), then takes the submission', async () => {
    const webapp = await connectAs(world.mm, world.alice);
    const click = await world.mm.clickButton(world.alice, answer, 'Formulaire');
    expect(click).toMatchObject({ ok: true, body: {} });
    const dialog = await waitFor(() => world.mm.dialogs.at(-1), { what: 'an opened dialog' });
    expect(dialog.userId).toBe(world.alice.id);
    expect(dialog.url).toBe(`${world.bot.url}/mattermost/dialog`);
    expect(dialog.warnings).toEqual([]);
    expect(Array.from(String(dialog.dialog.title)).length).toBeLessThanOrEqual(24);
    await waitFor(() => webapp.events('open_dialog').length === 1, { what: 'open_dialog event' });
    webapp.close();

    const missing = await world.mm.submitDialog(world.alice, dialog, { nom: '' });
    expect(missing).toMatchObject({ ok: true, body: { errors: { nom: 'Indiquez votre nom.' } } });

    const done = await world.mm.submitDialog(world.alice, dialog, { nom: 'Alice Martin', choix: 'a' });
    expect(done).toMatchObject({ ok: true, body: {} });
    expect(world.app.db.prepare('SELECT nom FROM probe_forms').all()).toEqual([{ nom: 'Alice Martin' }]);
    // The confirmation comes through the slash command's response_url: ephemeral, in the channel.
    expect(world.mm.ephemeralsFor(world.alice).at(-1)?.message).toBe('Formulaire reçu pour Alice Martin (état 2).');
  });

  // Another user's submission was 403 (body never shown): now 200 with the generic dialog `error`.
  it('refuses a dialog submission by another user (dialog error) or with a tampered state (403)', async () => {
    await world.mm.clickButton(world.alice, answer, 'Formulaire');
    const dialog = await waitFor(() => world.mm.dialogs.at(-1));
    expect(await world.mm.submitDialog(world.bob, dialog, { nom: 'Bob' })).toMatchObject({
      ok: true,
      httpStatus: 200,
      body: { error: "Ce formulaire n'est pas valable pour vous." },
    });
    const state = String(dialog.dialog.state);
    expect((await world.mm.submitDialog(world.alice, dialog, { nom: 'A' }, { state: `${state.slice(0, -2)}xx` })).httpStatus).toBe(403);
    expect((await world.mm.submitDialog(world.alice, dialog, { nom: 'A' }, { callbackId: 'autre.form' })).httpStatus).toBe(403);
    expect(world.app.db.prepare('SELECT COUNT(*) AS n FROM probe_forms').get()).toEqual({ n: 0 });
  });

  it('confirms by direct message when the dialog came from a button on a real post', async () => {
    const dm = world.mm.directChannel(world.alice, world.botUser);
    await world.bot.app.notifier.sendDirect(world.alice.id, { text: 'Carte', buttons: [{ label: 'Formulaire', action: 'sonde.dialog' }] });
    await world.mm.clickButton(world.alice, world.mm.postsIn(dm).at(-1)!, 'Formulaire');
    const dialog = await waitFor(() => world.mm.dialogs.at(-1));
    await world.mm.submitDialog(world.alice, dialog, { nom: 'Alice' });
    expect(world.mm.postsIn(dm).at(-1)).toMatchObject({ user_id: world.botUser.id, message: 'Formulaire reçu pour Alice (état 2).' });
  });

  it('sends the fallback text when the trigger id has expired (30 s)', async () => {
    world.mm.triggerTtlMs = -1;
    const click = await world.mm.clickButton(world.alice, answer, 'Formulaire');
    expect(click.body).toEqual({ ephemeral_text: 'Le formulaire ne peut pas s’ouvrir ici : répondez en message.' });
    expect(world.mm.dialogs).toHaveLength(0);
  });

  it('opens a dialog straight from a slash command and answers the command with an empty ephemeral', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde dialogue');
    expect(outcome.ok).toBe(true);
    expect(outcome.body).toEqual({ response_type: 'ephemeral', text: '' });
    expect(world.mm.dialogs).toHaveLength(1);
  });
});

describe('buttons on a public reply: only the caller may click, the others are told why', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld({
      commandTriggers: ['certif', 'sonde', 'sondepublique'],
      configure: (app) => {
        registerProbeFeature(app);
        // A public reply whose buttons belong to the caller (the responder signs them for the invoking user).
        app.router.command({ name: 'sondepublique', description: 'Réponse publique avec boutons', hint: '' }, () =>
          message('Réponse publique avec un bouton.', { visibility: 'public', buttons: [{ label: '👍 Voter', action: 'sonde.vote', payload: { choice: 'oui' } }] }),
        );
      },
    });
  });
  afterEach(async () => {
    await world.close();
  });

  it('shows another channel member a French refusal through the real click path, and stores nothing', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sondepublique');
    expect(outcome.ok).toBe(true);
    const post = world.mm.postsIn(world.channel).at(-1)!;
    expect(post).toMatchObject({ user_id: world.botUser.id, message: 'Réponse publique avec un bouton.' });

    const before = world.mm.ephemeralsFor(world.bob).length;
    const click = await world.mm.clickButton(world.bob, post, '👍 Voter');
    // Mattermost applies the answer only when it is a 200: the click succeeds and Bob reads why nothing happened.
    expect(click).toMatchObject({ ok: true, httpStatus: 200 });
    const shown = world.mm.ephemeralsFor(world.bob).slice(before);
    expect(shown.map((ephemeral) => ephemeral.message)).toEqual([
      "Ce bouton n'est pas valable pour vous : il est réservé à la personne à qui le message s'adresse.",
    ]);
    expect(shown[0]).toMatchObject({ channel_id: world.channel.id, root_id: post.id });
    expect(world.app.db.prepare('SELECT COUNT(*) AS n FROM probe_votes').get()).toEqual({ n: 0 });

    // The caller's own click works.
    expect(await world.mm.clickButton(world.alice, post, '👍 Voter')).toMatchObject({ ok: true, body: { ephemeral_text: 'Merci pour votre vote.' } });
    expect(world.app.db.prepare('SELECT user_id FROM probe_votes').all()).toEqual([{ user_id: world.alice.id }]);
  });
});
