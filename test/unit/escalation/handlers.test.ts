import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/incoming.js';
import { ESCALATE_ACTION, type LoggedQuestion } from '../../../src/features/ports.js';
import { FAQ_MIGRATIONS, registerFaq } from '../../../src/features/faq/faq-handlers.js';
import { aFeatureDeps } from '../../support/feature-deps.js';
import { ADMIN, ALICE, CAMILLE, DOMINIQUE, EVE, askAndConfirm, asMessage, createFakeFaq, createHarness, settle, withProfile, type Harness } from './harness.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';

const inChannel = (channelId: string): Conversation => ({ channelId, kind: 'channel' });
const SUPPORT_NORD = inChannel('support-nord');
const BOB = { id: 'user-bob', username: 'bob' };



describe('escalation: asking', () => {
  it('asks for the profile first, then proposes the receiver with the reason and gives a ticket number', async () => {
    const h = createHarness();
    const first = await h.say(ALICE, 'referent', "Je n'ai pas reçu ma convocation pour le CCP1");
    expect(first.text).toContain('/certif profil');
    const profileButton = first.buttons?.find((b) => b.action === 'escalation.profile');
    expect(profileButton).toBeDefined();
    // The button opens the profile dialog; submitting it continues with the confirmation.
    const dialog = await h.click(ALICE, 'escalation.profile', { ...profileButton!.payload });
    expect(dialog.type).toBe('dialog');
    const afterProfile = asMessage(await h.submit(ALICE, 'escalation.profile', { r: Number(profileButton!.payload!.r) }, { organisme: 'of-nord', cohorte: 'nord-mars' }));
    expect(afterProfile.text).toContain('Organisme Nord');
    expect(afterProfile.text).toContain('Je peux transmettre votre question à **votre organisme de formation, Organisme Nord (le canal ~support-nord)**');
    expect(afterProfile.text).toContain("l'organisation de la session d'examen");
    expect(afterProfile.buttons?.map((b) => b.label)).toEqual(['Transmettre', 'Plutôt à mon référent', 'Annuler']);

    const confirm = afterProfile.buttons![0]!;
    const done = asMessage(await h.click(ALICE, confirm.action, { ...confirm.payload }));
    expect(done.text).toContain('Votre numéro de ticket : **#1**');
    expect(done.replaceOriginal).toBe(true);
    await settle(h);
    const card = h.notifier.posts.find((post) => post.kind === 'channel');
    expect(card).toMatchObject({ target: 'support-nord' });
    expect(card!.message.text).toContain("> Je n'ai pas reçu ma convocation pour le CCP1");
    expect(card!.message.buttons?.map((b) => b.label)).toEqual(['Je prends', 'Répondre', 'Rediriger', 'Clore']);
    expect(card!.message.fields?.find((f) => f.title === 'Profil')?.value).toBe('Organisme Nord — Nord mars 2026');

    // A second click on the same confirmation does not create a second ticket.
    const again = asMessage(await h.click(ALICE, confirm.action, { ...confirm.payload }));
    expect(again.text).toContain('déjà transmise');
    expect(h.escalation.store.openTickets()).toHaveLength(1);

    // Operators see it in the metrics: one open ticket, less than a day old, nothing stuck in the outbox.
    const scraped = await h.deps.metrics.render();
    expect(scraped).toMatch(/certif_bot_tickets\{state="open"\} 1/);
    expect(scraped).toMatch(/certif_bot_tickets_not_closed_by_age\{age="moins_1j"\} 1/);
    expect(scraped).toMatch(/certif_bot_outbox_backlog 0/);
  });

  // Issue 18, point 3: « Je vous préviens en message privé » while the card waited forever in the outbox.
  it('says the ticket waits, and promises no DM, where nothing can be delivered (local mode over HTTP)', async () => {
    const h = createHarness({ notifier: createRecordingNotifier({ canPost: false }) });
    await withProfile(h);
    const confirmation = await h.say(ALICE, 'referent', "Je n'ai pas reçu ma convocation pour le CCP1");
    const button = confirmation.buttons!.find((b) => b.action === 'escalation.confirm')!;
    const done = asMessage(await h.click(ALICE, button.action, { ...button.payload }));
    expect(done.text).toContain('ticket **#1**');
    expect(done.text).toContain("Cette installation n'est pas encore reliée à Mattermost");
    expect(done.text).not.toContain('message privé');
    expect(h.escalation.outbox.stats().pending).toBeGreaterThan(0);
  });

  it('routes other difficulties to the cohort referent by DM', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Je serai absente le jour de l’examen, je suis malade');
    const ticket = h.escalation.store.getTicket(id)!;
    expect(ticket.receiver).toEqual({ user: 'dominique' });
    expect(ticket.topic).toBe('absence-echec');
    expect(h.notifier.posts.at(-1)).toMatchObject({ kind: 'direct', target: 'dominique' });
  });

  it('never sends a difficulty with the training body back to it (issue 17: « mon organisme ne répond plus »)', async () => {
    // The real FAQ on the real knowledge base tells what the question is about (of-ne-repond-pas: difficulte-organisme).
    const faq = registerFaq(aFeatureDeps({ migrations: FAQ_MIGRATIONS, env: { KNOWLEDGE_DIR: path.resolve(import.meta.dirname, '../../../knowledge') } }));
    const question = 'mon organisme ne répond plus depuis 3 semaines';
    expect(faq.classify?.(question)).toBe('of-ne-repond-pas');

    const known = createHarness({ faq });
    await withProfile(known);
    const proposal = await known.say(ALICE, 'referent', question);
    expect(proposal.text).toContain('Je peux transmettre votre question à **votre référent de cohorte « Nord mars 2026 » (@dominique)**');
    expect(proposal.text).toContain('Votre difficulté concerne votre organisme de formation');
    expect(proposal.buttons?.map((b) => b.label)).toEqual(['Transmettre', 'Annuler']);
    // A forged « to the training body » confirmation still goes to the referent.
    const forged = asMessage(await known.click(ALICE, 'escalation.confirm', { ...proposal.buttons![0]!.payload, k: 'organisme' }));
    expect(forged.text).toContain('transmis à votre référent de cohorte');

    const unknown = createHarness({ faq });
    await withProfile(unknown, 'organisme Nord cohorte inconnue');
    const ask = await unknown.say(ALICE, 'referent', question);
    expect(ask.text).toContain('demandez à votre formateur');
    expect(ask.buttons?.map((b) => b.label)).toEqual(['Annuler']);
  });

  it('tells her to ask her formateur when she does not know her referent', async () => {
    const h = createHarness();
    const profile = await withProfile(h, 'organisme Nord cohorte inconnue');
    expect(profile.text).toContain('demandez à votre formateur');
    const reply = await h.say(ALICE, 'referent', 'Mon employeur refuse de me libérer pour la formation');
    expect(reply.text).toContain('demandez à votre formateur');
    expect(reply.buttons?.map((b) => b.label)).toEqual(['Transmettre à mon organisme de formation', 'Annuler']);
  });

  it('starts from a question the FAQ logged (button « Transmettre ma question »), with the bot’s candidates', async () => {
    const logged: LoggedQuestion = {
      id: 42,
      userId: ALICE.id,
      text: 'Le jury peut-il me refuser le CCP1 si mon DP est incomplet ?',
      normalized: 'jury refus ccp1 dp incomplet',
      outcome: 'abstained',
      entryId: null,
      candidates: [{ entryId: 'dp-contenu', title: 'Que contient le dossier professionnel ?', confidence: 0.6 }],
      createdAt: new Date('2026-11-23T08:59:00Z'),
    };
    const faq = createFakeFaq([logged], [{ id: 'dp-contenu', title: 'Que contient le dossier professionnel ?', topic: 'dossier', route: 'organisme-formation' }]);
    const h = createHarness({ faq });
    await withProfile(h);
    const reply = asMessage(await h.click(ALICE, ESCALATE_ACTION, { q: 42 }));
    expect(reply.text).toContain('le dossier professionnel');
    expect(reply.text).toContain('Organisme Nord');
    const confirm = reply.buttons![0]!;
    await h.click(ALICE, confirm.action, { ...confirm.payload });
    await settle(h);
    const card = h.notifier.posts.find((post) => post.kind === 'channel')!;
    expect(card.message.fields?.find((f) => f.title === 'Pistes du bot')?.value).toBe('• Que contient le dossier professionnel ?');
    // Someone else cannot escalate her question.
    expect(asMessage(await h.click(EVE, ESCALATE_ACTION, { q: 42 })).text).toContain('Seule la personne');
  });

  it('cancels without creating anything, and explains empty or unknown input', async () => {
    const h = createHarness();
    await withProfile(h);
    const reply = await h.say(ALICE, 'referent', 'Comment se passe le jury du CCP1 ?');
    const cancel = reply.buttons!.find((b) => b.label === 'Annuler')!;
    expect(asMessage(await h.click(ALICE, cancel.action, { ...cancel.payload })).text).toBe("D'accord, je ne transmets rien.");
    expect(h.escalation.store.openTickets()).toEqual([]);
    expect((await h.say(ALICE, 'referent', '')).text).toContain('/referent');
    expect(asMessage(await h.click(ALICE, ESCALATE_ACTION, { q: 999 })).text).toContain('Je ne retrouve pas cette question');
  });
});

describe('escalation: profile', () => {
  it('saves the text form, refuses unknown names and mismatched cohorts without changing anything', async () => {
    const h = createHarness();
    expect((await withProfile(h, 'organisme Ouest cohorte X')).text).toContain("Je ne connais pas l'organisme « Ouest »");
    expect(h.escalation.store.getProfile(ALICE.id)).toBeUndefined();
    expect((await withProfile(h, 'organisme Sud cohorte Nord mars 2026')).text).toContain('ne dépend pas de Formations Sud');
    // « de » elided before a vowel (issue 18: « ne dépend pas de Organisme … »).
    expect((await withProfile(h, 'organisme Nord cohorte Sud avril 2026')).text).toContain('La cohorte « Sud avril 2026 » ne dépend pas d’Organisme Nord.');
    expect(h.escalation.store.getProfile(ALICE.id)).toBeUndefined();
    const ok = await withProfile(h, 'organisme formations sud cohorte sud avril 2026');
    expect(ok.text).toContain('Formations Sud');
    expect(h.escalation.store.getProfile(ALICE.id)).toMatchObject({ trainingBodyId: 'of-sud', cohortId: 'sud-avril' });
  });

  it('opens a dialog listing the directory, and validates its submission', async () => {
    const h = createHarness();
    const reply = await h.dispatch({ kind: 'command', transport: 'console', command: 'certif', text: 'profil', user: ALICE, conversation: { channelId: 'c', kind: 'channel' } });
    expect(reply.type).toBe('dialog');
    if (reply.type !== 'dialog') return;
    const options = reply.dialog.elements.flatMap((element) => ('options' in element ? element.options.map((o) => o.value) : []));
    expect(options).toEqual(['of-nord', 'of-sud', 'nord-mars', 'sud-avril', 'inconnue']);
    expect(await h.submit(ALICE, 'escalation.profile', {}, { organisme: 'of-sud', cohorte: 'nord-mars' })).toMatchObject({
      type: 'dialog_errors',
      errors: { cohorte: 'La cohorte « Nord mars 2026 » ne dépend pas de Formations Sud.' },
    });
  });
});

describe('escalation: the ticket’s life', () => {
  it('claim → answer (relayed in a DM) → helped → close with a FAQ draft, every step on the card and in the event log', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const card = h.notifier.posts.find((post) => post.kind === 'channel')!;
    expect(h.escalation.store.getTicket(id)!.receiverChannelId).toBe('support-nord');

    // Nobody else may act: not a stranger elsewhere, not the asker herself.
    expect(asMessage(await h.click(EVE, 'escalation.claim', { t: id }, inChannel('ailleurs'))).text).toContain('ne vous est pas adressé');
    expect(asMessage(await h.click(ALICE, 'escalation.claim', { t: id })).text).toContain('réservé à la personne qui traite');

    // Anyone in the receiving channel may take it.
    const claimed = asMessage(await h.click(BOB, 'escalation.claim', { t: id }, SUPPORT_NORD));
    expect(claimed.text).toContain('Vous avez pris en charge le ticket');
    await settle(h);
    const cardUpdate = h.notifier.posts.filter((post) => post.kind === 'update').at(-1)!;
    expect(cardUpdate.target).toBe('post1');
    expect(cardUpdate.message.fields?.find((f) => f.title === 'État')?.value).toBe('🙋 Pris en charge par @bob');
    expect(h.notifier.posts.find((post) => post.kind === 'direct' && post.target === ALICE.id)?.message.text).toContain('prise en charge par @bob');
    expect(asMessage(await h.click(CAMILLE, 'escalation.claim', { t: id }, SUPPORT_NORD)).text).toBe('Ce ticket est déjà pris en charge par @bob.');

    const dialog = await h.click(BOB, 'escalation.answer', { t: id }, SUPPORT_NORD);
    expect(dialog.type).toBe('dialog');
    expect(await h.submit(BOB, 'escalation.answer', { t: id }, { reponse: ' ' }, SUPPORT_NORD)).toMatchObject({ type: 'dialog_errors' });
    await h.submit(BOB, 'escalation.answer', { t: id }, { reponse: 'Vous la recevrez par courriel trois semaines avant la session.' }, SUPPORT_NORD);
    await settle(h);
    const relay = h.notifier.posts.filter((post) => post.kind === 'direct' && post.target === ALICE.id).at(-1)!;
    expect(relay.message.text).toContain('Vous la recevrez par courriel');
    expect(relay.message.buttons?.map((b) => b.label)).toEqual(["Ça m'a aidé", "J'ai encore une question"]);

    // Only she can say it helped.
    expect(asMessage(await h.click(BOB, 'escalation.helped', { t: id }, SUPPORT_NORD)).text).toContain('ne vous est pas adressé');
    const thanks = asMessage(await h.click(ALICE, 'escalation.helped', { t: id }));
    expect(thanks).toMatchObject({ replaceOriginal: true });
    expect(thanks.text).toContain('Merci pour votre retour');

    h.clock.advance(60_000);
    const closed = asMessage(await h.submit(BOB, 'escalation.close', { t: id }, { faq: true }, SUPPORT_NORD));
    expect(closed.text).toContain('proposée aux curateurs');
    await settle(h);
    const drafts = readdirSync(path.join(h.dataDir, 'drafts'));
    expect(drafts).toEqual([`ticket-${id}-quand-vais-je-recevoir-ma-convocation-au-ccp1.md`]);
    const draft = readFileSync(path.join(h.dataDir, 'drafts', drafts[0]!), 'utf8');
    expect(draft).toContain('title: Quand vais-je recevoir ma convocation au CCP1 ?');
    expect(draft).toContain('topic: convocation');
    expect(draft).toContain('route: organisme-formation');
    expect(draft).toContain(`réponse de @bob au ticket #${id}`);
    expect(draft).toContain('reviewed: 2026-11-23');
    expect(draft.trimEnd().endsWith('Vous la recevrez par courriel trois semaines avant la session.')).toBe(true);

    const finalCard = h.notifier.posts.filter((post) => post.kind === 'update').at(-1)!;
    expect(finalCard.target).toBe('post1');
    expect(card.message.text).toContain('Quand vais-je recevoir');
    expect(finalCard.message.buttons ?? []).toEqual([]);
    expect(finalCard.message.fields?.find((f) => f.title === 'État')?.value).toBe('🔒 Clos');

    const events = h.escalation.store.events(id);
    expect(events.map((e) => [e.event, e.fromState, e.toState, e.actorUsername])).toEqual([
      ['created', null, 'open', 'alice'],
      ['claimed', 'open', 'claimed', 'bob'],
      ['answered', 'claimed', 'answered', 'bob'],
      ['helped', 'answered', 'answered', 'alice'],
      ['closed', 'answered', 'closed', 'bob'],
    ]);
    expect(events.at(-1)!.at.toISOString()).toBe('2026-11-23T09:01:00.000Z');
    expect(asMessage(await h.click(BOB, 'escalation.claim', { t: id }, SUPPORT_NORD)).text).toBe('Ce ticket est déjà clos.');
  });

  it('reopens with a follow-up question sent to the receiver', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Je serai absente le jour de l’examen, je suis malade');
    await h.submit(DOMINIQUE, 'escalation.answer', { t: id }, { reponse: 'Envoyez un justificatif à votre organisme.' });
    const dialog = await h.click(ALICE, 'escalation.more', { t: id });
    expect(dialog.type).toBe('dialog');
    await h.submit(ALICE, 'escalation.more', { t: id }, { question: 'Et si je n’ai pas de certificat médical ?' });
    await settle(h);
    expect(h.escalation.store.getTicket(id)!.state).toBe('claimed');
    const followUp = h.notifier.posts.filter((post) => post.kind === 'direct' && post.target === 'dominique').at(-1)!;
    expect(followUp.message.text).toContain('a encore une question');
  });

  it('redirects to the other kind of receiver or to a person, with a new card and the old one updated', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const dialog = await h.click(BOB, 'escalation.redirect', { t: id }, SUPPORT_NORD);
    expect(dialog.type).toBe('dialog');
    if (dialog.type === 'dialog') {
      const destination = dialog.dialog.elements.find((element) => element.name === 'destination');
      expect(destination && 'options' in destination ? destination.options.map((o) => o.value) : []).toEqual(['referent']);
    }
    expect(await h.submit(BOB, 'escalation.redirect', { t: id }, {}, SUPPORT_NORD)).toMatchObject({ type: 'dialog_errors' });
    await h.submit(BOB, 'escalation.redirect', { t: id }, { destination: 'referent' }, SUPPORT_NORD);
    await settle(h);
    let ticket = h.escalation.store.getTicket(id)!;
    expect(ticket).toMatchObject({ state: 'open', receiver: { user: 'dominique' }, receiverKind: 'referent' });
    expect(h.notifier.posts.some((post) => post.kind === 'update' && post.target === 'post1' && post.message.text.includes('redirigé vers @dominique'))).toBe(true);
    expect(h.notifier.posts.some((post) => post.kind === 'direct' && post.target === 'dominique' && post.message.text.includes(`Ticket #${id}`))).toBe(true);
    // The support channel no longer has a say; the referent does.
    expect(asMessage(await h.click(BOB, 'escalation.claim', { t: id }, SUPPORT_NORD)).text).toContain('ne vous est pas adressé');
    await h.submit(DOMINIQUE, 'escalation.redirect', { t: id }, { personne: '@Camille' });
    await settle(h);
    ticket = h.escalation.store.getTicket(id)!;
    expect(ticket).toMatchObject({ receiver: { user: 'camille' }, receiverKind: 'personne' });
    expect(asMessage(await h.click(CAMILLE, 'escalation.claim', { t: id })).text).toContain('Vous avez pris');
  });

  it('refuses a button with the state machine’s own reason, before any dialog opens', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    await h.submit(BOB, 'escalation.answer', { t: id }, { reponse: 'Par courriel, trois semaines avant.' }, SUPPORT_NORD);
    await settle(h);
    // Answered: no redirection (same text as the service's), no claim.
    expect(await h.click(BOB, 'escalation.redirect', { t: id }, SUPPORT_NORD)).toMatchObject({
      type: 'message',
      text: 'Ce ticket a déjà reçu une réponse : clôturez-le plutôt que de le rediriger.',
    });
    expect(asMessage(await h.click(BOB, 'escalation.claim', { t: id }, SUPPORT_NORD)).text).toBe('Ce ticket a déjà reçu une réponse.');
    // Reopened: a second « J'ai encore une question » is refused at the click, not after the dialog.
    await h.submit(ALICE, 'escalation.more', { t: id }, { question: 'Et pour le CCP2 ?' });
    expect(await h.click(ALICE, 'escalation.more', { t: id })).toMatchObject({ type: 'message', text: 'Votre question est déjà en cours de traitement.' });

    await h.submit(BOB, 'escalation.close', { t: id }, {}, SUPPORT_NORD);
    for (const action of ['escalation.answer', 'escalation.redirect', 'escalation.close']) {
      expect(await h.click(BOB, action, { t: id }, SUPPORT_NORD)).toMatchObject({ type: 'message', text: 'Ce ticket est déjà clos.' });
    }
    // A redirect dialog submitted after the close is refused before anything is looked up.
    expect(asMessage(await h.submit(BOB, 'escalation.redirect', { t: id }, { personne: 'camille' }, SUPPORT_NORD)).text).toBe('Ce ticket est déjà clos.');
    expect(asMessage(await h.click(ALICE, 'escalation.more', { t: id })).text).toBe(
      'Ce ticket est clos : pour une nouvelle question, tapez `/referent` suivi de votre question.',
    );
    expect(h.escalation.store.getTicket(id)!.state).toBe('closed');
  });

  it('lets an admin act on any ticket', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    expect(asMessage(await h.click(ADMIN, 'escalation.claim', { t: id }, inChannel('ailleurs'))).text).toContain('Vous avez pris');
  });
});

describe('escalation: nothing falls through', () => {
  it('reminds the receiver after one working day, then goes to the fallback channel after two', async () => {
    // Friday 27 November 2026, 16:00 in Paris.
    const h = createHarness({ now: '2026-11-27T15:00:00Z' });
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const ticket = h.escalation.store.getTicket(id)!;
    expect(ticket.remindAt.toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(ticket.fallbackAt.toISOString()).toBe('2026-12-01T15:00:00.000Z');

    h.clock.set('2026-11-30T14:59:00Z');
    await h.escalation.tick();
    expect(h.notifier.posts.filter((post) => post.message.text.includes('Rappel'))).toEqual([]);
    h.clock.set('2026-11-30T15:00:00Z');
    await h.escalation.tick();
    await h.escalation.tick();
    const reminders = h.notifier.posts.filter((post) => post.message.text.includes('Rappel'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ kind: 'channel', target: 'support-nord' });

    h.clock.set('2026-12-01T15:00:00Z');
    await h.escalation.tick();
    await h.escalation.tick();
    const fallbacks = h.notifier.posts.filter((post) => post.target === 'tickets-en-attente');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]!.message.text).toContain('sans prise en charge');
    // Someone in the fallback channel takes it: both cards show it.
    expect(asMessage(await h.click(EVE, 'escalation.claim', { t: id }, inChannel('tickets-en-attente'))).text).toContain('Vous avez pris');
    await settle(h);
    // The recording notifier numbers every post it records: post<n> is the n-th.
    const fallbackPostId = `post${h.notifier.posts.indexOf(fallbacks[0]!) + 1}`;
    const updates = h.notifier.posts.filter((post) => post.kind === 'update').map((post) => post.target);
    expect(updates.sort()).toEqual(['post1', fallbackPostId].sort());
    expect(h.escalation.store.events(id).map((e) => e.event)).toEqual(['created', 'reminded', 'fallback', 'claimed']);
  });

  it('uses ESCALATION_FALLBACK_CHANNEL over the directory fallback, and never reminds a claimed ticket', async () => {
    const h = createHarness({ env: { ESCALATION_FALLBACK_CHANNEL: 'secours', ESCALATION_REMIND_AFTER: '2h' } });
    await withProfile(h);
    const first = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const second = await askAndConfirm(h, 'Comment se passe le jury du CCP1 ?');
    await h.click(BOB, 'escalation.claim', { t: second }, SUPPORT_NORD);
    h.clock.advance(5 * 3_600_000);
    await h.escalation.tick();
    expect(h.notifier.posts.filter((post) => post.target === 'secours').map((post) => post.message.text)).toEqual([
      expect.stringContaining(`Ticket #${first}`),
    ]);
  });
});

describe('escalation: admin', () => {
  it('refuses non-admins politely', async () => {
    const h = createHarness();
    expect((await h.say(ALICE, 'certif-admin', '')).text).toContain('réservée aux administrateurs');
  });

  it('lists open tickets by receiver and age, unanswered questions and feedback', async () => {
    const h = createHarness();
    await withProfile(h);
    await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    h.clock.advance(26 * 3_600_000);
    const overview = await h.say(ADMIN, 'certif-admin', '');
    expect(overview.text).toContain('**le canal ~support-nord** (1)');
    expect(overview.text).toContain('#1 · en attente · depuis 1 j 2 h');
    expect(overview.text).toContain('« mot de passe pix perdu » — 3 fois (abstention 2, « Pas utile » 1 ; fiche choisie ensuite : `pix-definition`)');
    expect(overview.text).toContain('`delai-six-mois` : 75 % utile');
  });

  it('counts the delivery backlog on the home page, with the age of the oldest message', async () => {
    const h = createHarness();
    expect((await h.say(ADMIN, 'certif-admin', '')).text).not.toContain('en attente de livraison');
    // Enqueued without a drain: it waits.
    h.escalation.outbox.enqueue({ kind: 'direct', target: 'id:user-alice', message: { text: 'Bonjour' }, key: 'k-1', ticketId: null, role: 'notice' }, h.clock.now());
    // « 1 message », never « 1 message(s) » (issue 18).
    expect((await h.say(ADMIN, 'certif-admin', '')).text).toContain('⚠️ 1 message de ticket en attente de livraison');
    h.clock.advance(3 * 3_600_000);
    h.escalation.outbox.enqueue({ kind: 'direct', target: 'id:user-alice', message: { text: 'Re' }, key: 'k-2', ticketId: null, role: 'notice' }, h.clock.now());
    expect((await h.say(ADMIN, 'certif-admin', '')).text).toContain(
      '⚠️ 2 messages de ticket en attente de livraison à Mattermost (le plus ancien depuis 3 h).',
    );
  });

  it('exports every ticket, in id order, with one query', async () => {
    const h = createHarness();
    await withProfile(h);
    const first = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const second = await askAndConfirm(h, 'Comment se passe le jury du CCP1 ?');
    await h.submit(BOB, 'escalation.close', { t: first }, {}, SUPPORT_NORD);
    expect(h.escalation.store.allTickets().map((ticket) => [ticket.id, ticket.state])).toEqual([
      [first, 'closed'],
      [second, 'open'],
    ]);
    await h.say(ADMIN, 'certif-admin', 'export tickets');
    const csv = String(h.notifier.posts.at(-1)!.message.file?.content).trimEnd().split('\r\n');
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([`${first},closed`, `${second},open`]);
  });

  it('counts tickets not closed by age at each scrape, the boundaries included, closed ones left out', async () => {
    const h = createHarness();
    await withProfile(h);
    const ages = async () => {
      const scraped = await h.deps.metrics.render();
      return Object.fromEntries([...scraped.matchAll(/certif_bot_tickets_not_closed_by_age\{age="(\w+)"\} (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    };
    await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    h.clock.advance(96 * 3_600_000);
    await askAndConfirm(h, 'Comment se passe le jury du CCP1 ?');
    h.clock.advance(48 * 3_600_000);
    await askAndConfirm(h, 'Qui sera dans le jury du CCP1 ?');
    h.clock.advance(24 * 3_600_000);
    const youngest = await askAndConfirm(h, 'Où se passe la session du CCP1 ?');
    // Exactly 168 h, exactly 72 h, exactly 24 h, 0 h: each boundary belongs to the older bucket.
    expect(await ages()).toEqual({ moins_1j: 1, '1j_3j': 1, '3j_7j': 1, plus_7j: 1 });
    h.clock.advance(1);
    expect(await ages()).toEqual({ moins_1j: 1, '1j_3j': 1, '3j_7j': 1, plus_7j: 1 });
    h.clock.advance(24 * 3_600_000);
    // 192 h, 96 h, 48 h, 24 h + 1 ms.
    expect(await ages()).toEqual({ moins_1j: 0, '1j_3j': 2, '3j_7j': 1, plus_7j: 1 });
    await h.submit(BOB, 'escalation.close', { t: youngest }, {}, SUPPORT_NORD);
    expect(await ages()).toEqual({ moins_1j: 0, '1j_3j': 1, '3j_7j': 1, plus_7j: 1 });
  });

  it('exports CSV in a DM and reloads the directory', async () => {
    const h = createHarness();
    await withProfile(h);
    await askAndConfirm(h, 'Quand vais-je recevoir ma convocation, "vite" ?');
    const reply = await h.say(ADMIN, 'certif-admin', 'export');
    expect(reply.text).toContain('en message privé');
    const dm = h.notifier.posts.at(-1)!;
    expect(dm).toMatchObject({ kind: 'direct', target: ADMIN.id });
    const csv = String(dm.message.file?.content);
    expect(csv.split('\r\n')[0]).toBe('ticket,etat,destinataire,demandeur,question,pris_par,repondu_par,cree_le,age_heures,clos_le');
    expect(csv).toContain('"Quand vais-je recevoir ma convocation, ""vite"" ?"');
    await h.say(ADMIN, 'certif-admin', 'export questions');
    const questions = String(h.notifier.posts.at(-1)!.message.file?.content).trimEnd().split('\r\n');
    expect(questions[0]).toBe('question,forme_normalisee,occurrences,abstentions,pas_utile,derniere_fois,fiches_choisies');
    expect(questions[1]).toBe('mot de passe pix perdu,mot passe pix perdu,3,2,1,2026-11-20T10:00:00.000Z,pix-definition');
    const reload = await h.say(ADMIN, 'certif-admin', 'recharger');
    expect(reload.text).toContain('✅ **directory** : 2 organismes de formation, 2 cohortes');
  });
});

describe('escalation: personal data', () => {
  it('exports, then erases the profile and anonymizes the tickets (kept for the receiver)', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const provider = h.deps.personalData.list().find((p) => p.label === 'Tickets et profil')!;
    expect(provider.summarize(ALICE.id)).toBe('votre organisme et votre cohorte, 1 ticket');
    expect(provider.exportFor(ALICE.id)).toMatchObject({ profile: { trainingBodyId: 'of-nord' }, tickets: [{ id, state: 'open' }] });
    expect(provider.eraseFor(ALICE.id)).toBeGreaterThan(0);
    expect(h.escalation.store.getProfile(ALICE.id)).toBeUndefined();
    expect(h.escalation.store.getTicket(id)).toMatchObject({ askerId: '(effacé)', askerUsername: '(effacé)', question: 'Quand vais-je recevoir ma convocation au CCP1 ?' });
    expect(provider.summarize(ALICE.id)).toBeUndefined();
  });

  it('purges closed tickets older than the cutoff, never open ones', async () => {
    const h = createHarness();
    await withProfile(h);
    const open = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const closed = await askAndConfirm(h, 'Comment se passe le jury du CCP1 ?');
    await h.submit(BOB, 'escalation.close', { t: closed }, {}, SUPPORT_NORD);
    const provider = h.deps.personalData.list().find((p) => p.label === 'Tickets et profil')!;
    expect(provider.purgeOlderThan!(new Date('2027-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect(h.escalation.store.getTicket(closed)).toBeUndefined();
    expect(h.escalation.store.getTicket(open)).toBeDefined();
    expect(existsSync(h.dataDir)).toBe(true);
  });
});
