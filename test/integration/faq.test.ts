import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, waitUntilListening, type World } from '../support/bot-harness.js';
import { waitFor, type StandInChannel, type StandInPost } from '../support/mattermost-stand-in.js';

/** The FAQ end to end: real bot, real @mattermost/client, the stand-in server, the small fixture knowledge base. */

const KNOWLEDGE_DIR = path.resolve('test/fixtures/knowledge-mini');
const directoryFile = path.resolve('knowledge/directory.yaml');
const env = { KNOWLEDGE_DIR, ...(fs.existsSync(directoryFile) ? { DIRECTORY_FILE: directoryFile } : {}) };

type Action = { id: string; name: string };
const labelsOf = (post: StandInPost): string[] =>
  ((post.props.attachments ?? []) as { actions?: Action[] }[]).flatMap((attachment) => attachment.actions ?? []).map((a) => a.name);
const botPosts = (world: World, channel: StandInChannel = world.channel) =>
  world.mm.postsIn(channel).filter((post) => post.user_id === world.botUser.id);
const textOf = (post: StandInPost): string =>
  [post.message, ...((post.props.attachments ?? []) as { text?: string }[]).map((a) => a.text ?? '')].join('\n');

describe('FAQ over Mattermost', () => {
  let world: World;
  afterEach(async () => {
    await world.close();
  });

  it('/certif <question> → a private answer with the feedback and share buttons', async () => {
    world = await startWorld({ env });
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/certif c quoi le délai max pour passer le ccp1 ?');
    const answer = outcome.ephemerals[0];
    expect(answer).toBeDefined();
    expect(textOf(answer!)).toContain('six mois');
    expect(labelsOf(answer!)).toEqual(['👍 Utile', '👎 Pas utile', 'Partager dans le canal']);
    expect(botPosts(world)).toHaveLength(0);
  });

  it('a click on « 👍 Utile » stores the feedback', async () => {
    world = await startWorld({ env });
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/certif qui me convoque au ccp1 ?');
    const click = await world.mm.clickButton(world.alice, outcome.ephemerals[0]!, '👍 Utile');
    expect(click.ok).toBe(true);
    const rows = world.app.db.prepare('SELECT user_id, useful FROM faq_feedback').all();
    expect(rows).toEqual([{ user_id: world.alice.id, useful: 1 }]);
  });

  it('« Partager dans le canal » → the bot posts the answer in the channel as itself', async () => {
    world = await startWorld({ env });
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/certif qui me convoque au ccp1 ?');
    await world.mm.clickButton(world.alice, outcome.ephemerals[0]!, 'Partager dans le canal');
    const [shared] = await waitFor(() => (botPosts(world).length > 0 ? botPosts(world) : undefined), { what: 'a shared answer' });
    expect(shared?.user_id).toBe(world.botUser.id);
    expect(textOf(shared!)).toContain('organisme de formation');
    expect(textOf(shared!)).toContain('@alice partage cette réponse');
  });

  it('« Partager » in a channel the bot is not in → how to add it, under its real account name; nothing posted', async () => {
    world = await startWorld({ env, botUsername: 'assistant-formation' });
    await waitUntilListening(world);
    const elsewhere = world.mm.addChannel(world.team, 'sans-le-bot', [world.alice]);
    const outcome = await world.mm.executeCommand(world.alice, elsewhere, '/certif qui me convoque au ccp1 ?');
    const click = await world.mm.clickButton(world.alice, outcome.ephemerals[0]!, 'Partager dans le canal');
    expect(click.ok).toBe(true);
    expect(JSON.stringify(click.body)).toContain('/invite @assistant-formation');
    expect(botPosts(world, elsewhere)).toHaveLength(0);
  });

  it('no exact answer (real base) → the closest entry as a button; a click shows its answer, with feedback buttons', async () => {
    world = await startWorld({ env: { ...env, KNOWLEDGE_DIR: path.resolve('knowledge') } });
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/certif les examens se passent en présentiel ?');
    const offer = outcome.ephemerals[0];
    expect(textOf(offer!)).toContain("Je n'ai pas de fiche qui réponde exactement");
    expect(labelsOf(offer!)[0]).toBe('Où se passent les examens ?');
    const click = await world.mm.clickButton(world.alice, offer!, 'Où se passent les examens ?');
    expect(click.ok).toBe(true);
    const answer = await waitFor(
      () => world.mm.ephemeralsFor(world.alice).find((post) => textOf(post).includes('centre de certification agréé')),
      { what: 'the picked answer' },
    );
    expect(labelsOf(answer)).toEqual(['👍 Utile', '👎 Pas utile', 'Partager dans le canal']);
    expect(botPosts(world)).toHaveLength(0);
  });

  it('a mention in the channel → the answer in the thread of the question', async () => {
    world = await startWorld({ env });
    await waitUntilListening(world);
    const question = world.mm.postAs(world.alice, world.channel, '@certif-bot qui me convoque au ccp1 ?');
    const [answer] = await waitFor(() => (botPosts(world).length > 0 ? botPosts(world) : undefined), { what: 'an answer' });
    expect(answer?.root_id).toBe(question.id);
    expect(textOf(answer!)).toContain('organisme de formation');
  });

  it('a direct message → the answer in the DM', async () => {
    world = await startWorld({ env });
    await waitUntilListening(world);
    const dm = world.mm.directChannel(world.alice, world.botUser);
    world.mm.postAs(world.alice, dm, 'quels domaines évalue pix ?');
    const [answer] = await waitFor(() => (botPosts(world, dm).length > 0 ? botPosts(world, dm) : undefined), { what: 'a DM answer' });
    expect(answer?.channel_id).toBe(dm.id);
    expect(textOf(answer!)).toContain('cinq domaines');
  });
});
