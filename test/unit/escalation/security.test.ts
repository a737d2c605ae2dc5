import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/incoming.js';
import type { OutgoingMessage } from '../../../src/core/notifier.js';
import type { LoggedQuestion } from '../../../src/features/ports.js';
import { ATTACK, render, serverMentions } from '../../support/mattermost-markdown.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';
import { ADMIN, ALICE, askAndConfirm, asMessage, createFakeFaq, createHarness, settle, withProfile } from './harness.js';

const SUPPORT_NORD: Conversation = { channelId: 'support-nord', kind: 'channel' };
const BOB = { id: 'user-bob', username: 'bob' };
/** The people a ticket message is meant to mention. */
const INTENDED = new Set(['@alice', '@bob', '@dominique']);
// Lists are left out: the admin pages are lists of their own (a list in user text is checked by the safe-text tests).
const ACTED_ON = ['link', 'image', 'heading', 'html_inline', 'html_block', 'code_block', 'thematic_break'];

/** Every part of a post Mattermost reads for mentions and renders: its text and its fields' values. */
function expectInertPost(post: Pick<OutgoingMessage, 'text' | 'fields'>, what: string): void {
  for (const part of [post.text, ...(post.fields ?? []).map((field) => field.value)]) {
    expect(serverMentions(part).filter((mention) => !INTENDED.has(mention)), `${what}: ${part}`).toEqual([]);
    const types = render(part).types;
    expect(ACTED_ON.filter((type) => types.has(type)), `${what}: ${part}`).toEqual([]);
  }
}

describe('escalation: what users type is shown, never acted on (issue 16, finding 1)', () => {
  it('quotes the question as inert text in the card, its reminder, the fallback copy and the follow-up', async () => {
    const h = createHarness();
    await withProfile(h);
    const id = await askAndConfirm(h, ATTACK);
    const card = h.notifier.posts.find((post) => post.kind === 'channel')!;
    expectInertPost(card.message, 'card');
    expect(render(card.message.text).visible).toContain('Question urgente @channel @all @here');

    // Reminder after a working day, fallback copy after two: both quote the question.
    h.clock.advance(4 * 24 * 3_600_000);
    h.escalation.tickets.followUp(h.clock.now());
    await settle(h);
    const reminders = h.notifier.posts.filter((post) => /Rappel|sans prise en charge/.test(post.message.text));
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    for (const post of reminders) expectInertPost(post.message, 'reminder');

    await h.submit(BOB, 'escalation.answer', { t: id }, { reponse: `Voici : ${ATTACK}` }, SUPPORT_NORD);
    await settle(h);
    const relay = h.notifier.posts.filter((post) => post.kind === 'direct' && post.target === ALICE.id).at(-1)!;
    expect(relay.message.text).toContain('Réponse à votre question');
    expectInertPost(relay.message, 'relay');
    const updated = h.notifier.posts.filter((post) => post.kind === 'update').at(-1)!;
    expectInertPost(updated.message, 'card with its answer');

    await h.submit(ALICE, 'escalation.more', { t: id }, { question: `Et encore : ${ATTACK}` });
    await settle(h);
    const followUp = h.notifier.posts.filter((post) => post.message.text.includes('a encore une question')).at(-1)!;
    expectInertPost(followUp.message, 'follow-up');
  });

  it('shows it as text in the answer dialog, the confirmation and the admin lists', async () => {
    const logged: LoggedQuestion = {
      id: 7,
      userId: ALICE.id,
      text: ATTACK,
      entryId: null,
      candidates: [],
      outcome: 'abstained',
      askedAt: new Date('2026-11-23T09:00:00Z'),
    } as unknown as LoggedQuestion;
    const faq = createFakeFaq([logged]);
    faq.unansweredQuestions = () => [
      { normalized: 'x', example: ATTACK, count: 2, abstained: 2, notUseful: 0, lastAskedAt: new Date('2026-11-20T10:00:00Z'), pickedEntries: [] },
    ];
    const h = createHarness({ faq });
    await withProfile(h);
    const confirmation = asMessage(await h.click(ALICE, 'escalation.start', { q: 7 }));
    expectInertPost(confirmation, 'confirmation');
    const id = await askAndConfirm(h, ATTACK);

    const dialog = await h.click(BOB, 'escalation.answer', { t: id }, SUPPORT_NORD);
    expect(dialog.type).toBe('dialog');
    if (dialog.type === 'dialog') expectInertPost({ text: dialog.dialog.introduction ?? '' }, 'answer dialog');

    for (const sub of ['', 'tickets', 'questions']) {
      expectInertPost(await h.say(ADMIN, 'certif-admin', sub), `/certif-admin ${sub}`);
    }
  });
});

describe('escalation: CSV exports never carry a live formula (issue 16, finding 2)', () => {
  const FORMULAS = ['=HYPERLINK("https://evil.example/x","Voir la convocation CCP1")', '+33 6 12 34', '-2+3+4', '@SUM(A1:A2)', '\t=1+1+1', '\r=1+1+1', '＝1+1+1'];

  /** Each cell as a spreadsheet reads it (RFC 4180, the fields of `text`). */
  function cells(csv: string): string[] {
    const found: string[] = [];
    for (const match of csv.matchAll(/(?:^|,|\r\n)("(?:[^"]|"")*"|[^,\r\n]*)/g)) {
      const raw = match[1] ?? '';
      found.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    }
    return found;
  }

  it('prefixes every cell that a spreadsheet would run, in the tickets and questions exports', async () => {
    const faq = createFakeFaq();
    faq.unansweredQuestions = () =>
      FORMULAS.map((example) => ({ normalized: example, example, count: 1, abstained: 1, notUseful: 0, lastAskedAt: new Date('2026-11-20T10:00:00Z'), pickedEntries: [] }));
    const h = createHarness({ faq });
    await withProfile(h);
    for (const question of FORMULAS) await askAndConfirm(h, question);
    for (const what of ['tickets', 'questions']) {
      await h.say(ADMIN, 'certif-admin', `export ${what}`);
      const csv = String(h.notifier.posts.at(-1)!.message.file?.content);
      const risky = cells(csv).filter((cell) => /^[=+\-@\t\r＝＋－＠]/.test(cell));
      expect(risky, `${what}:\n${csv}`).toEqual([]);
      for (const question of FORMULAS.slice(0, 4)) expect(cells(csv), what).toContain(`'${question}`);
    }
  });
});

describe('escalation: one ticket per question, whatever the clicks (issue 16, findings 4 and 5)', () => {
  const logged = (id: number, text: string) =>
    ({ id, userId: ALICE.id, text, entryId: null, candidates: [], outcome: 'abstained', askedAt: new Date('2026-11-23T09:00:00Z') }) as unknown as LoggedQuestion;

  it('« Transmettre ma question » clicked twice, each proposal confirmed: one request, one ticket', async () => {
    const h = createHarness({ faq: createFakeFaq([logged(7, 'Je n’ai pas reçu ma convocation pour le CCP1')]) });
    await withProfile(h);
    const first = asMessage(await h.click(ALICE, 'escalation.start', { q: 7 }));
    const second = asMessage(await h.click(ALICE, 'escalation.start', { q: 7 }));
    for (const proposal of [first, second]) {
      const confirm = proposal.buttons!.find((button) => button.action === 'escalation.confirm')!;
      await h.click(ALICE, confirm.action, { ...confirm.payload });
    }
    expect(h.escalation.store.allTickets()).toHaveLength(1);
    for (let click = 0; click < 500; click += 1) await h.click(ALICE, 'escalation.start', { q: 7 });
    const requests = h.deps.db.prepare('SELECT COUNT(*) AS n FROM escalation_requests').get() as { n: number };
    expect(requests.n).toBe(1);
    expect(asMessage(await h.click(ALICE, 'escalation.start', { q: 7 })).text).toContain('déjà transmise');
  });

  it('the same question typed twice with /referent and confirmed twice makes one ticket', async () => {
    const h = createHarness();
    await withProfile(h);
    const first = await askAndConfirm(h, 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const again = await h.say(ALICE, 'referent', 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const confirm = again.buttons?.find((button) => button.action === 'escalation.confirm');
    const done = confirm ? asMessage(await h.click(ALICE, confirm.action, { ...confirm.payload })) : again;
    expect(done.text).toContain(`#${first}`);
    expect(h.escalation.store.allTickets()).toHaveLength(1);
  });

  it('« Annuler » after « Transmettre » says the ticket exists and offers to close it', async () => {
    const h = createHarness();
    await withProfile(h);
    const proposal = await h.say(ALICE, 'referent', 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const confirm = proposal.buttons!.find((button) => button.action === 'escalation.confirm')!;
    const cancel = proposal.buttons!.find((button) => button.action === 'escalation.cancel')!;
    await h.click(ALICE, confirm.action, { ...confirm.payload });
    await settle(h);
    const cancelled = asMessage(await h.click(ALICE, cancel.action, { ...cancel.payload }));
    expect(cancelled.text).not.toContain('je ne transmets rien');
    expect(cancelled.text).toContain('déjà transmise');
    expect(cancelled.text).toContain('#1');
    const close = cancelled.buttons?.find((button) => button.label === 'Clore mon ticket');
    expect(close).toBeDefined();
    expect(asMessage(await h.click(BOB, close!.action, { ...close!.payload }, SUPPORT_NORD)).text).toContain('ne vous est pas adressé');
    const closed = asMessage(await h.click(ALICE, close!.action, { ...close!.payload }));
    expect(closed.text).toContain('est clos');
    expect(h.escalation.store.getTicket(1)!.state).toBe('closed');
    await settle(h);
    const card = h.notifier.posts.filter((post) => post.kind === 'update').at(-1)!;
    expect(card.message.fields?.find((field) => field.title === 'État')?.value).toBe('🔒 Clos');
    expect(card.message.buttons ?? []).toEqual([]);
  });
});

describe('escalation: an export shown in the reply (no Mattermost to send a file) stays a code block', () => {
  it('keeps a question with its own fence inside the block', async () => {
    const h = createHarness({ notifier: createRecordingNotifier({ canPost: false }) });
    await withProfile(h);
    const confirm = (await h.say(ALICE, 'referent', 'Ma question sur le CCP1\n```\n# ANNONCE OFFICIELLE\nfin')).buttons!.find((b) => b.action === 'escalation.confirm')!;
    await h.click(ALICE, confirm.action, { ...confirm.payload });
    const reply = await h.say(ADMIN, 'certif-admin', 'export tickets');
    const types = render(reply.text).types;
    expect(types.has('heading'), reply.text).toBe(false);
    expect(types.has('code_block'), reply.text).toBe(true);
  });
});
