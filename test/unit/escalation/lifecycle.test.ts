import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/incoming.js';
import type { Notifier } from '../../../src/core/notifier.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';
import { ADMIN, ALICE, CAMILLE, DOMINIQUE, EVE, askAndConfirm, asMessage, createHarness, settle, withProfile, type Harness } from './harness.js';

/**
 * What happens to the messages still waiting in the outbox when a ticket moves on (redirect, close), after the asker's
 * erasure, and when the FAQ draft cannot be written.
 */

const inChannel = (channelId: string): Conversation => ({ channelId, kind: 'channel' });
const SUPPORT_NORD = inChannel('support-nord');
const FALLBACK = inChannel('tickets-en-attente');
/** Bob is in the support channel. */
const BOB_SUPPORT = { id: 'user-bob', username: 'bob' };

/** A recording notifier for which some channels are unreachable (unknown to Mattermost) until told otherwise. */
function createPartialNotifier(unreachable: string[]) {
  const inner = createRecordingNotifier();
  const down = new Set(unreachable);
  const notifier: Notifier & { posts: typeof inner.posts } = {
    ...inner,
    posts: inner.posts,
    resolveChannel: async (name) => (down.has(name) ? undefined : { channelId: name }),
  };
  return { notifier, down };
}



const backlog = async (h: Harness) => /certif_bot_outbox_backlog (\d+)/.exec(await h.deps.metrics.render())?.[1];
const postsTo = (h: Harness, target: string) => h.notifier.posts.filter((post) => post.target === target);

/** A ticket for the support channel (unreachable), reminded and handed to the fallback channel (unreachable too). */
async function stuckTicket(h: Harness): Promise<number> {
  await withProfile(h);
  const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
  h.clock.advance(5 * 3_600_000);
  await h.escalation.tick();
  expect(h.escalation.store.events(id).map((e) => e.event)).toEqual(['created', 'reminded', 'fallback']);
  const pending = h.escalation.outbox.pending().map((row) => row.role);
  expect(pending).toEqual(['card', 'reminder', 'fallback']);
  return id;
}

describe('escalation: messages made obsolete by a redirect or a close', () => {
  it('never posts the old card, its reminder or its fallback copy after a redirect, and the backlog returns to 0', async () => {
    const { notifier, down } = createPartialNotifier(['support-nord', 'tickets-en-attente']);
    const h = createHarness({ notifier, env: { ESCALATION_REMIND_AFTER: '2h' } });
    const id = await stuckTicket(h);
    // An admin claims it meanwhile: that card update waits for a card that will never be posted.
    await h.click(ADMIN, 'escalation.claim', { t: id }, inChannel('ailleurs'));
    await h.submit(ADMIN, 'escalation.redirect', { t: id }, { destination: 'referent' }, inChannel('ailleurs'));
    await settle(h);
    expect(h.escalation.store.getTicket(id)).toMatchObject({ state: 'open', receiver: { user: 'dominique' } });
    expect(postsTo(h, 'dominique').map((post) => post.message.text)).toEqual([expect.stringContaining(`Ticket #${id}`)]);
    expect(h.escalation.outbox.pending()).toEqual([]);
    expect(await backlog(h)).toBe('0');
    expect(h.escalation.outbox.row(`ticket-${id}-card-1`)).toMatchObject({ delivered_post_id: null, last_error: 'annulé : ticket redirigé' });
    expect(h.escalation.outbox.row(`ticket-${id}-remind-ticket-${id}-card-1`)).toMatchObject({ delivered_post_id: null, last_error: 'annulé : ticket redirigé' });
    expect(h.escalation.outbox.row(`ticket-${id}-fallback-ticket-${id}-card-1`)).toMatchObject({ delivered_post_id: null, last_error: 'annulé : ticket redirigé' });

    // The channels come back: nothing of the old receiver is posted, no update waits.
    down.clear();
    h.clock.advance(60 * 60_000);
    await h.escalation.tick();
    await h.escalation.tick();
    expect(postsTo(h, 'support-nord')).toEqual([]);
    expect(postsTo(h, 'tickets-en-attente')).toEqual([]);
    expect(h.notifier.posts.filter((post) => post.kind === 'update')).toEqual([]);
    expect(await backlog(h)).toBe('0');
  });

  it('never posts a live card or a « Rappel » for a closed ticket, and the asker is still told', async () => {
    const { notifier, down } = createPartialNotifier(['support-nord', 'tickets-en-attente']);
    const h = createHarness({ notifier, env: { ESCALATION_REMIND_AFTER: '2h' } });
    const id = await stuckTicket(h);
    await h.click(ADMIN, 'escalation.claim', { t: id }, inChannel('ailleurs'));
    const closed = asMessage(await h.submit(ADMIN, 'escalation.close', { t: id }, {}, inChannel('ailleurs')));
    expect(closed.text).toBe(`Le ticket #${id} est clos.`);
    await settle(h);
    expect(h.escalation.outbox.pending()).toEqual([]);
    expect(await backlog(h)).toBe('0');
    expect(h.escalation.outbox.row(`ticket-${id}-card-1`)).toMatchObject({ delivered_post_id: null, last_error: 'annulé : ticket clos' });
    expect(postsTo(h, ALICE.id).at(-1)?.message.text).toContain(`Votre ticket #${id} est clos`);

    down.clear();
    h.clock.advance(60 * 60_000);
    await h.escalation.tick();
    await h.escalation.tick();
    expect(h.notifier.posts.filter((post) => post.kind !== 'direct')).toEqual([]);
    expect(h.notifier.posts.some((post) => post.message.text.includes('Rappel'))).toBe(false);
  });

  it('still updates the cards already posted when a ticket is closed', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    await h.submit(BOB_SUPPORT, 'escalation.close', { t: id }, {}, SUPPORT_NORD);
    await settle(h);
    const update = h.notifier.posts.filter((post) => post.kind === 'update').at(-1)!;
    expect(update.target).toBe('post1');
    expect(update.message.fields?.find((f) => f.title === 'État')?.value).toBe('🔒 Clos');
    expect(h.escalation.outbox.row(`ticket-${id}-card-1`)?.delivered_post_id).toBe('post1');
  });

  it('refreshes the fallback channel’s copy after a redirect: no buttons left there, it says where the ticket went', async () => {
    const h = createHarness({ env: { ESCALATION_REMIND_AFTER: '2h' } });
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    h.clock.advance(5 * 3_600_000);
    await h.escalation.tick();
    const fallback = postsTo(h, 'tickets-en-attente');
    expect(fallback).toHaveLength(1);
    const fallbackPostId = `post${h.notifier.posts.indexOf(fallback[0]!) + 1}`;
    // Someone in the fallback channel redirects it to the referent.
    await h.submit(EVE, 'escalation.redirect', { t: id }, { destination: 'referent' }, FALLBACK);
    await settle(h);
    const updates = h.notifier.posts.filter((post) => post.kind === 'update');
    expect(updates.map((post) => post.target).sort()).toEqual(['post1', fallbackPostId].sort());
    for (const update of updates) {
      expect(update.message.text).toContain('redirigé vers @dominique par @eve');
      expect(update.message.buttons ?? []).toEqual([]);
    }
    // The fallback channel no longer has a say on it.
    expect(asMessage(await h.click(EVE, 'escalation.claim', { t: id }, FALLBACK)).text).toContain('ne vous est pas adressé');
    expect(h.escalation.outbox.pending()).toEqual([]);
  });

  it('purges only the outbox rows of purged (closed) tickets: an open ticket’s card can still be updated', async () => {
    const h = createHarness();
    await withProfile(h);
    const open = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const closed = await askAndConfirm(h, 'Comment se passe le jury du CCP1 ?');
    await h.submit(BOB_SUPPORT, 'escalation.close', { t: closed }, {}, SUPPORT_NORD);
    await settle(h);
    const provider = h.deps.personalData.list().find((p) => p.label === 'Tickets et profil')!;
    provider.purgeOlderThan!(new Date('2027-01-01T00:00:00Z'));
    const rows = h.deps.db.prepare('SELECT DISTINCT ticket_id FROM escalation_outbox ORDER BY ticket_id').all() as { ticket_id: number }[];
    expect(rows.map((row) => row.ticket_id)).toEqual([open]);
    expect(h.escalation.outbox.row(`ticket-${open}-card-1`)?.delivered_post_id).toBe('post1');
    // The open ticket's card is still reachable for its updates.
    await h.click(BOB_SUPPORT, 'escalation.claim', { t: open }, SUPPORT_NORD);
    await settle(h);
    expect(h.notifier.posts.filter((post) => post.kind === 'update').at(-1)).toMatchObject({ target: 'post1' });
    expect(h.escalation.outbox.pending()).toEqual([]);
  });
});

describe('escalation: the FAQ draft is best effort', () => {
  it('closes the ticket even when the draft cannot be written, and says so', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    await h.submit(BOB_SUPPORT, 'escalation.answer', { t: id }, { reponse: 'Par courriel, trois semaines avant la session.' }, SUPPORT_NORD);
    // A file where the drafts directory should be: mkdir fails.
    writeFileSync(path.join(h.dataDir, 'drafts'), 'pas un dossier');
    const closed = asMessage(await h.submit(BOB_SUPPORT, 'escalation.close', { t: id }, { faq: true }, SUPPORT_NORD));
    expect(closed.text).toContain(`Le ticket #${id} est clos.`);
    expect(closed.text).toContain("je n'ai pas pu enregistrer le brouillon de fiche pour la FAQ");
    expect(closed.text).not.toContain('proposée aux curateurs');
    expect(h.escalation.store.getTicket(id)).toMatchObject({ state: 'closed' });
    await settle(h);
    expect(postsTo(h, ALICE.id).at(-1)?.message.text).toContain(`Votre ticket #${id} est clos`);
  });

  it('writes the draft after the commit, as before, when it can', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    await h.submit(BOB_SUPPORT, 'escalation.answer', { t: id }, { reponse: 'Par courriel, trois semaines avant la session.' }, SUPPORT_NORD);
    const { draftFile, draftFailed } = h.escalation.tickets.close(id, { id: 'user-bob', username: 'bob' }, { proposeFaq: true }, h.clock.now());
    expect(draftFailed).toBeUndefined();
    expect(draftFile && existsSync(draftFile)).toBe(true);
  });
});

describe('escalation: after the asker’s erasure', () => {
  it('sends her nothing more, and tells the receiver so without naming « @(effacé) »', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const provider = h.deps.personalData.list().find((p) => p.label === 'Tickets et profil')!;
    provider.eraseFor(ALICE.id);

    const claimed = asMessage(await h.click(BOB_SUPPORT, 'escalation.claim', { t: id }, SUPPORT_NORD));
    expect(claimed.text).toBe(`Vous avez pris en charge le ticket #${id}. La personne qui a posé la question a fait effacer ses données : je ne peux plus la prévenir.`);
    const dialog = await h.click(BOB_SUPPORT, 'escalation.answer', { t: id }, SUPPORT_NORD);
    expect(dialog.type === 'dialog' ? dialog.dialog.introduction : '').toBe('Question : Quand vais-je recevoir ma convocation au CCP1 ?');
    const answered = asMessage(await h.submit(BOB_SUPPORT, 'escalation.answer', { t: id }, { reponse: 'Par courriel.' }, SUPPORT_NORD));
    expect(answered.text).toBe(`Merci ! Votre réponse au ticket #${id} est enregistrée. La personne qui a posé la question a fait effacer ses données : je ne peux plus la prévenir.`);
    expect(asMessage(await h.submit(BOB_SUPPORT, 'escalation.close', { t: id }, {}, SUPPORT_NORD)).text).toBe(`Le ticket #${id} est clos.`);
    await settle(h);

    const second = await (async () => {
      await withProfile(h);
      return askAndConfirm(h, 'Comment se passe le jury du CCP1 ?');
    })();
    provider.eraseFor(ALICE.id);
    await h.submit(BOB_SUPPORT, 'escalation.redirect', { t: second }, { destination: 'referent' }, SUPPORT_NORD);
    await settle(h);

    const toErased = h.deps.db.prepare("SELECT COUNT(*) AS n FROM escalation_outbox WHERE target = 'id:(effacé)'").get() as { n: number };
    expect(toErased.n).toBe(0);
    expect(h.escalation.outbox.pending()).toEqual([]);
    expect(h.notifier.posts.some((post) => post.target === '(effacé)')).toBe(false);
    expect(h.notifier.posts.some((post) => post.message.text.includes('@(effacé)'))).toBe(false);
    // The cards say who asked without a fake mention.
    const card = postsTo(h, 'dominique').at(-1)!;
    expect(card.message.fields?.find((f) => f.title === 'Posée par')?.value).toBe('personne dont les données ont été effacées');
  });

  it('reminds the receiver without « de @(effacé) »', async () => {
    const h = createHarness({ env: { ESCALATION_REMIND_AFTER: '2h' } });
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    h.deps.personalData.list().find((p) => p.label === 'Tickets et profil')!.eraseFor(ALICE.id);
    h.clock.advance(3 * 3_600_000);
    await h.escalation.tick();
    const reminder = h.notifier.posts.find((post) => post.message.text.includes('Rappel'))!;
    expect(reminder.message.text).toContain(`⏰ Rappel : le **ticket #${id}**, reçu le`);
    expect(reminder.message.text).not.toContain('effacé');
  });
});

describe('escalation: French wording', () => {
  it('says « transmise au canal ~x » / « à @x » to the asker, and « déjà adressé au canal ~x »', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    expect(() =>
      h.escalation.tickets.redirect(id, { id: ADMIN.id, username: 'admin' }, { receiverKind: 'organisme', receiver: { channel: 'support-nord' } }, h.clock.now()),
    ).toThrow('Ce ticket est déjà adressé au canal ~support-nord.');
    await h.submit(BOB_SUPPORT, 'escalation.redirect', { t: id }, { destination: 'referent' }, SUPPORT_NORD);
    await settle(h);
    expect(postsTo(h, ALICE.id).at(-1)?.message.text).toBe(
      `↪️ Votre question (ticket #${id}) a été transmise à @dominique, plus à même d'y répondre.`,
    );
    await h.submit(DOMINIQUE, 'escalation.redirect', { t: id }, { destination: 'organisme' });
    await settle(h);
    expect(postsTo(h, ALICE.id).at(-1)?.message.text).toBe(
      `↪️ Votre question (ticket #${id}) a été transmise au canal ~support-nord, plus à même d'y répondre.`,
    );
    expect(h.notifier.posts.some((post) => /à le canal/.test(post.message.text))).toBe(false);
  });

  it('refuses strangers with « la personne qui a posé la question »', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    expect(asMessage(await h.click(CAMILLE, 'escalation.claim', { t: id }, inChannel('ailleurs'))).text).toBe(
      'Ce ticket ne vous est pas adressé : seuls la personne qui a posé la question, son destinataire et les administrateurs peuvent agir dessus.',
    );
  });
});
