import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { startWorld, type World } from '../support/bot-harness.js';
import { waitFor, type StandInChannel, type StandInPost, type StandInUser } from '../support/mattermost-stand-in.js';
import { TEST_DIRECTORY_YAML } from '../support/test-directory.js';

type Action = { id: string; name: string };
type Attachment = { text?: string; fields?: { title: string; value: string }[]; actions?: Action[] };
const attachmentsOf = (post: StandInPost): Attachment[] => (post.props.attachments ?? []) as Attachment[];
const buttonsOf = (post: StandInPost): string[] => attachmentsOf(post).flatMap((a) => a.actions ?? []).map((action) => action.name);
const fieldOf = (post: StandInPost, title: string) => attachmentsOf(post).flatMap((a) => a.fields ?? []).find((f) => f.title === title)?.value;

const DIRECTORY = TEST_DIRECTORY_YAML;

describe('escalation end to end: the real bot against the Mattermost stand-in', () => {
  let world: World;
  let support: StandInChannel;
  let fallback: StandInChannel;
  let carol: StandInUser;
  let dir: string;
  const clock = fixedClock('2026-11-23T09:00:00Z');

  beforeEach(async () => {
    clock.set('2026-11-23T09:00:00Z');
    dir = mkdtempSync(path.join(tmpdir(), 'certif-escalation-it-'));
    writeFileSync(path.join(dir, 'directory.yaml'), DIRECTORY);
    world = await startWorld({
      env: { DIRECTORY_FILE: path.join(dir, 'directory.yaml'), ADMIN_USERS: 'admin' },
      commandTriggers: ['certif', 'referent', 'certif-admin'],
      clock,
    });
    carol = world.mm.addUser('carol');
    support = world.mm.addChannel(world.team, 'support-of', [world.botUser, world.bob, carol]);
    fallback = world.mm.addChannel(world.team, 'tickets-en-attente', [world.botUser, world.admin]);
  });
  afterEach(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const aliceDm = () => world.mm.directChannel(world.alice, world.botUser);

  async function declareProfile(): Promise<void> {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/certif profil organisme Organisme Test cohorte Test 2026');
    expect(outcome.ephemerals.at(-1)?.message).toContain('Organisme Test');
  }

  /** `/referent …` then « Transmettre »; returns the ticket number. */
  async function ask(question: string): Promise<number> {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, `/referent ${question}`);
    const proposal = outcome.ephemerals.at(-1)!;
    expect(proposal.message).toContain('Je peux transmettre votre question');
    const before = world.mm.ephemeralsFor(world.alice).length;
    const click = await world.mm.clickButton(world.alice, proposal, 'Transmettre');
    expect(click.ok).toBe(true);
    const shown = await waitFor(() => world.mm.ephemeralsFor(world.alice).slice(before).find((post) => post.message.includes('ticket')));
    return Number(/#(\d+)/.exec(shown.message)?.[1]);
  }

  const cardOf = (channel: StandInChannel, id: number) =>
    waitFor(() => world.mm.postsIn(channel).find((post) => post.message.includes(`Ticket #${id}**`)), { what: `card #${id}` });

  it('ask → route → confirm → card → claim → answer (dialog) → relay DM → feedback → close with a FAQ draft', async () => {
    await declareProfile();
    const id = await ask('Quand vais-je recevoir ma convocation au CCP1 ?');
    const card = await cardOf(support, id);
    expect(card.user_id).toBe(world.botUser.id);
    expect(buttonsOf(card)).toEqual(['Je prends', 'Répondre', 'Rediriger', 'Clore']);

    // Alice is not in the support channel; a click from her (or anyone outside it) is refused by the signature.
    expect((await world.mm.clickButton(world.alice, card, 'Je prends')).ok).toBe(false);

    expect((await world.mm.clickButton(carol, card, 'Je prends')).ok).toBe(true);
    await waitFor(() => fieldOf(world.mm.postsIn(support).find((p) => p.id === card.id)!, 'État')?.includes('@carol'), { what: 'card updated' });
    await waitFor(() => world.mm.postsIn(aliceDm()).find((post) => post.message.includes('prise en charge par @carol')), { what: 'claim notice' });

    const claimedCard = world.mm.postsIn(support).find((p) => p.id === card.id)!;
    expect(buttonsOf(claimedCard)).toEqual(['Répondre', 'Rediriger', 'Clore']);
    const dialogsBefore = world.mm.dialogs.length;
    expect((await world.mm.clickButton(carol, claimedCard, 'Répondre')).ok).toBe(true);
    const answerDialog = await waitFor(() => world.mm.dialogs[dialogsBefore], { what: 'answer dialog' });
    const submitted = await world.mm.submitDialog(carol, answerDialog, { reponse: 'Votre organisme vous l’envoie par courriel avant la session.' });
    expect(submitted.ok).toBe(true);

    const relay = await waitFor(() => world.mm.postsIn(aliceDm()).find((post) => post.message.includes('Réponse à votre question')), { what: 'relay' });
    expect(relay.message).toContain('par courriel avant la session');
    expect(buttonsOf(relay)).toEqual(["Ça m'a aidé", "J'ai encore une question"]);
    expect((await world.mm.clickButton(world.alice, relay, "Ça m'a aidé")).ok).toBe(true);
    await waitFor(() => world.mm.postsIn(aliceDm()).find((post) => post.id === relay.id && post.message.includes('Merci pour votre retour')), { what: 'thanks' });

    const answeredCard = await waitFor(() => {
      const post = world.mm.postsIn(support).find((p) => p.id === card.id)!;
      return fieldOf(post, 'État')?.includes('Répondu') ? post : undefined;
    });
    expect((await world.mm.clickButton(carol, answeredCard, 'Clore')).ok).toBe(true);
    const closeDialog = await waitFor(() => world.mm.dialogs[dialogsBefore + 1], { what: 'close dialog' });
    expect((await world.mm.submitDialog(carol, closeDialog, { faq: true })).ok).toBe(true);
    await waitFor(() => fieldOf(world.mm.postsIn(support).find((p) => p.id === card.id)!, 'État')?.includes('Clos'), { what: 'closed card' });
    const drafts = readdirSync(path.join(world.dataDir, 'drafts'));
    expect(drafts).toHaveLength(1);
    expect(readFileSync(path.join(world.dataDir, 'drafts', drafts[0]!), 'utf8')).toContain(`réponse de @carol au ticket #${id}`);
    // One card, updated in place: never a second post.
    expect(world.mm.postsIn(support).filter((post) => post.message.includes(`Ticket #${id}**`))).toHaveLength(1);
  });

  it('reminds the receiver after a working day, then posts in the fallback channel after two', async () => {
    await declareProfile();
    const id = await ask('Quand vais-je recevoir ma convocation au CCP1 ?');
    await cardOf(support, id);
    clock.set('2026-11-24T09:00:00Z');
    const reminder = await waitFor(() => world.mm.postsIn(support).find((post) => post.message.includes('Rappel')), { what: 'reminder', timeoutMs: 6000 });
    expect(reminder.message).toContain(`ticket #${id}`);
    expect(world.mm.postsIn(fallback)).toEqual([]);
    clock.set('2026-11-25T09:00:00Z');
    const escalated = await waitFor(() => world.mm.postsIn(fallback).find((post) => post.message.includes('sans prise en charge')), {
      what: 'fallback',
      timeoutMs: 6000,
    });
    // Someone in the fallback channel takes it.
    expect((await world.mm.clickButton(world.admin, escalated, 'Je prends')).ok).toBe(true);
    await waitFor(() => fieldOf(world.mm.postsIn(fallback).find((p) => p.id === escalated.id)!, 'État')?.includes('@admin'), { what: 'fallback card updated' });
    expect(world.mm.postsIn(support).filter((post) => post.message.includes('Rappel'))).toHaveLength(1);
  });

  it('loses nothing and duplicates nothing through a Mattermost outage', async () => {
    await declareProfile();
    world.mm.failRequests({ method: 'POST', path: /^\/posts$/, forMs: 60_000 });
    const id = await ask('Quand vais-je recevoir ma convocation au CCP1 ?');
    // The ticket exists; its card waits in the outbox.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(world.mm.postsIn(support)).toEqual([]);
    const pending = world.app.db.prepare('SELECT attempts FROM escalation_outbox WHERE delivered_at IS NULL').all() as { attempts: number }[];
    expect(pending.length).toBeGreaterThan(0);
    world.mm.clearFaults();
    clock.advance(60_000);
    await cardOf(support, id);
    clock.advance(10 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(world.mm.postsIn(support).filter((post) => post.message.includes(`Ticket #${id}**`))).toHaveLength(1);
    expect(world.app.db.prepare('SELECT COUNT(*) AS n FROM escalation_outbox WHERE delivered_at IS NULL').get()).toEqual({ n: 0 });
  });

  it('delivers after a restart what was enqueued before it, exactly once', async () => {
    await declareProfile();
    world.mm.failRequests({ method: 'POST', path: /^\/posts$/, forMs: 60_000 });
    const id = await ask('Quand vais-je recevoir ma convocation au CCP1 ?');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await world.stopBot();
    world.mm.clearFaults();
    expect(world.mm.postsIn(support)).toEqual([]);
    clock.advance(60_000);
    await world.startBotAgain();
    await cardOf(support, id);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(world.mm.postsIn(support).filter((post) => post.message.includes(`Ticket #${id}**`))).toHaveLength(1);
    expect(existsSync(path.join(world.dataDir, 'certif-bot.sqlite'))).toBe(true);
  });

  it('refuses /certif-admin to non-admins and answers admins', async () => {
    const refused = await world.mm.executeCommand(world.alice, world.channel, '/certif-admin');
    expect(refused.ephemerals.at(-1)?.message).toContain('réservée aux administrateurs');
    const shown = await world.mm.executeCommand(world.admin, fallback, '/certif-admin tickets');
    expect(shown.ephemerals.at(-1)?.message).toContain('Aucun ticket ouvert');
  });

  it('resolves usernames and channel names over REST (bare name among the bot’s channels, or team:channel)', async () => {
    const notifier = world.app.notifier;
    expect(await notifier.resolveUser('bob')).toEqual({ id: world.bob.id, username: 'bob' });
    expect(await notifier.resolveUser('@bob')).toEqual({ id: world.bob.id, username: 'bob' });
    expect(await notifier.resolveUser('personne')).toBeUndefined();
    expect(await notifier.resolveChannel('support-of')).toEqual({ channelId: support.id });
    expect(await notifier.resolveChannel('cnfs:tickets-en-attente')).toEqual({ channelId: fallback.id });
    expect(await notifier.resolveChannel('cnfs:inexistant')).toBeUndefined();
    expect(await notifier.resolveChannel('inexistant')).toBeUndefined();
  });

  it('sends a referent’s card by DM, and only the referent can take it there', async () => {
    await declareProfile();
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/referent Je serai absente le jour de l’examen, je suis malade');
    const proposal = outcome.ephemerals.at(-1)!;
    expect(proposal.message).toContain('@bob');
    await world.mm.clickButton(world.alice, proposal, 'Transmettre');
    const bobDm = world.mm.directChannel(world.bob, world.botUser);
    const card = await waitFor(() => world.mm.postsIn(bobDm).find((post) => post.message.includes('Ticket #')), { what: 'DM card' });
    expect((await world.mm.clickButton(world.bob, card, 'Je prends')).ok).toBe(true);
    await waitFor(() => fieldOf(world.mm.postsIn(bobDm).find((p) => p.id === card.id)!, 'État')?.includes('@bob'), { what: 'DM card updated' });
  });
});
