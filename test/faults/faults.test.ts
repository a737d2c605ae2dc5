import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { createReminderRunner } from '../../src/features/deadline/index.js';
import { createSilentLogger } from '../../src/logger.js';
import { startWorld, waitUntilListening, type World } from '../support/bot-harness.js';
import { waitFor, type StandInChannel, type StandInPost, type StandInUser } from '../support/mattermost-stand-in.js';
import { DIRECTORY, printSummary, record, sleep, startChildWorld, type ChildWorld } from './fault-support.js';

/**
 * Issue 7, faults: the real bot against the Mattermost stand-in's fault switches, and the real `certif-bot serve`
 * killed with SIGKILL. Each scenario checks that no ticket, reminder, feedback or answer is lost or duplicated and that
 * the bot recovers by itself; a summary table is printed at the end. Run with `npm run test:faults` (not in `npm test`:
 * one scenario keeps Mattermost down for 30 s of real time).
 */

afterAll(() => printSummary());

const botPostsIn = (world: { mm: World['mm']; botUser: StandInUser }, channel: StandInChannel) =>
  world.mm.postsIn(channel).filter((post) => post.user_id === world.botUser.id);
const answersTo = (world: World, question: StandInPost) =>
  world.mm.postsIn(question.channel_id).filter((post) => post.user_id === world.botUser.id && post.root_id === question.id);
const count = (db: Database.Database | World['app']['db'], sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

async function escalationWorld(clock = fixedClock('2026-11-23T09:00:00Z')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'certif-faults-dir-'));
  writeFileSync(path.join(dir, 'directory.yaml'), DIRECTORY);
  const world = await startWorld({
    env: { DIRECTORY_FILE: path.join(dir, 'directory.yaml') },
    commandTriggers: ['certif', 'referent', 'deadline', 'dossier'],
    clock,
  });
  const support = world.mm.addChannel(world.team, 'support-of', [world.botUser, world.bob]);
  world.mm.addChannel(world.team, 'tickets-en-attente', [world.botUser, world.admin]);
  await waitUntilListening(world);
  return {
    world,
    support,
    clock,
    async close() {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function declareProfile(world: World, user: StandInUser): Promise<void> {
  const outcome = await world.mm.executeCommand(user, world.channel, '/certif profil organisme Organisme Test cohorte Test 2026');
  expect(outcome.ephemerals.at(-1)?.message).toContain('Organisme Test');
}

/** `/referent …` then « Transmettre »: the ephemeral proposal and the outcome of the click. */
async function askReferent(world: World, user: StandInUser, question: string) {
  const outcome = await world.mm.executeCommand(user, world.channel, `/referent ${question}`);
  const proposal = outcome.ephemerals.at(-1);
  if (!proposal) throw new Error('no proposal to transmit the question');
  const click = await world.mm.clickButton(user, proposal, 'Transmettre');
  return { proposal, click };
}

const ticketCards = (world: { mm: World['mm'] }, support: StandInChannel) => world.mm.postsIn(support).filter((post) => /Ticket #\d+\*\*/.test(post.message));

describe('faults: Mattermost API errors', () => {
  it('429 with Retry-After: waits as told, then answers once', async () => {
    const { world, close } = await escalationWorld();
    try {
      world.mm.rateLimit({ method: 'POST', path: /^\/posts$/, times: 3, retryAfterSec: 1 });
      const started = Date.now();
      const question = world.mm.postAs(world.alice, world.channel, '@certif-bot combien de temps pour passer le CCP1 après la formation ?');
      await waitFor(() => answersTo(world, question).length > 0, { what: 'the answer after 429s', timeoutMs: 15_000 });
      const waited = Date.now() - started;
      await sleep(500);
      await world.bot.listener?.idle();
      const statuses = world.mm.requestsTo('POST', /^\/posts$/).map((request) => request.status);
      const answers = answersTo(world, question).length;
      record(
        '429 + Retry-After (×3) on POST /posts',
        '1 answer, ≥ 3 × Retry-After waited (capped at 3 × maxDelay)',
        `${answers} answer(s) after ${waited} ms; statuses ${statuses.join(',')}`,
        answers === 1 && statuses.filter((status) => status === 429).length === 3 && waited >= 2500,
      );
    } finally {
      await close();
    }
  });

  it('WebSocket dropped 10 times: every mention made meanwhile is answered exactly once', async () => {
    const { world, close } = await escalationWorld();
    try {
      const questions: StandInPost[] = [];
      for (let drop = 0; drop < 10; drop += 1) {
        world.mm.dropSockets({ refuseForMs: 150 });
        // Posted while the bot is disconnected: the event is lost, only the catch-up can find it.
        questions.push(world.mm.postAs(world.alice, world.channel, `@certif-bot question ${drop + 1} : quel est le délai pour le Pix ?`));
        await waitFor(() => world.mm.connectedUsers().includes(world.botUser.id), { what: `reconnection ${drop + 1}`, timeoutMs: 10_000 });
        await sleep(30);
      }
      await waitFor(() => questions.every((question) => answersTo(world, question).length > 0), { what: 'every answer', timeoutMs: 15_000 });
      await sleep(800);
      await world.bot.listener?.idle();
      const perQuestion = questions.map((question) => answersTo(world, question).length);
      const state = world.bot.listener?.status().state;
      record(
        'WebSocket dropped 10× (events lost)',
        '10 mentions → 10 answers, 1 each; socket connected',
        `answers per mention ${perQuestion.join(',')}; socket ${state}`,
        perQuestion.every((n) => n === 1) && state === 'connected',
      );
    } finally {
      await close();
    }
  });

  it('API 5xx for 30 s: mentions, DMs, tickets and reminders are delivered once after the outage', async () => {
    const { world, support, clock, close } = await escalationWorld();
    try {
      await declareProfile(world, world.alice);
      // Before the outage: a reminder that falls due during it.
      await world.mm.executeCommand(world.alice, world.channel, '/deadline examen 12/01/2027');
      await world.mm.executeCommand(world.alice, world.channel, '/deadline rappels oui');

      const outageStart = Date.now();
      world.mm.failRequests({ forMs: 30_000, status: 503 });
      const mention = world.mm.postAs(world.alice, world.channel, '@certif-bot comment s’inscrire au CCP1 ?');
      const dm = world.mm.directChannel(world.alice, world.botUser);
      const direct = world.mm.postAs(world.alice, dm, 'bonjour, que faut-il pour le dossier professionnel ?');
      const { click } = await askReferent(world, world.alice, 'Quand vais-je recevoir ma convocation au CCP1 ?');
      const runner = createReminderRunner({ db: world.app.db, notifier: world.app.notifier, log: createSilentLogger(), timeZone: 'Europe/Paris' });
      const duringOutage = await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'));
      await sleep(2000);
      const nothingYet = botPostsIn(world, world.channel).length === 0 && botPostsIn(world, dm).length === 0 && ticketCards(world, support).length === 0;

      // Mattermost comes back by itself after 30 s; the bot is not touched.
      await waitFor(() => Date.now() - outageStart > 30_500, { timeoutMs: 40_000 });
      clock.advance(16 * 60_000); // past the outbox's backoff
      const afterOutage = await runner.runDueReminders(new Date('2027-01-05T08:05:00Z'));
      await waitFor(() => answersTo(world, mention).length > 0, { what: 'the mention answer', timeoutMs: 20_000 });
      await waitFor(() => botPostsIn(world, dm).some((post) => post.create_at >= direct.create_at && !post.message.includes('⏰')), { what: 'the DM answer', timeoutMs: 20_000 });
      await waitFor(() => ticketCards(world, support).length > 0, { what: 'the ticket card', timeoutMs: 20_000 });
      clock.advance(16 * 60_000);
      await sleep(3000);
      await world.bot.listener?.idle();

      const tickets = count(world.app.db, 'SELECT COUNT(*) AS n FROM escalation_tickets');
      const undelivered = count(world.app.db, 'SELECT COUNT(*) AS n FROM escalation_outbox WHERE delivered_at IS NULL');
      const cards = ticketCards(world, support).length;
      const mentionAnswers = answersTo(world, mention).length;
      const dmPosts = botPostsIn(world, dm);
      const reminderDms = dmPosts.filter((post) => post.message.includes('⏰')).length;
      const sentReminders = count(world.app.db, "SELECT COUNT(*) AS n FROM deadline_reminders WHERE status = 'sent'");
      const ready = (await fetch(`${world.bot.url}/readyz`)).status;
      record('API 5xx 30 s: during the outage', 'nothing posted, nothing crashed', `${nothingYet ? 'nothing posted' : 'posts went out'}; click ${click.ok ? 'ok' : 'failed'}; reminder run ${JSON.stringify(duringOutage)}`, nothingYet && duringOutage.failed === 1);
      record('API 5xx 30 s: mention', '1 answer after the outage', `${mentionAnswers}`, mentionAnswers === 1);
      record('API 5xx 30 s: DM to the bot', '1 answer after the outage', `${dmPosts.length - reminderDms} answer(s)`, dmPosts.length - reminderDms === 1);
      record('API 5xx 30 s: ticket', '1 ticket, 1 card, outbox empty', `${tickets} ticket(s), ${cards} card(s), ${undelivered} undelivered`, tickets === 1 && cards === 1 && undelivered === 0);
      record('API 5xx 30 s: reminder', '1 DM, row sent', `${reminderDms} DM(s); run after ${JSON.stringify(afterOutage)}; ${sentReminders} sent row(s)`, reminderDms === 1 && afterOutage.sent === 1 && sentReminders === 1);
      record('API 5xx 30 s: recovery', '/readyz 200 without restart', `/readyz ${ready}`, ready === 200);
    } finally {
      await close();
    }
  }, 90_000);
});

describe('faults: replays during an outage', () => {
  // Replaces « FAQ feedback clicked twice → 1 row », which could not fail (a primary key forbade the duplicate and no
  // Mattermost call was involved): here the second submission would record a second answer and relay it again.
  it('the receiver submits the answer dialog twice while Mattermost is down: 1 answer, 1 relay once it is back', async () => {
    const { world, support, clock, close } = await escalationWorld();
    try {
      await declareProfile(world, world.alice);
      await askReferent(world, world.alice, 'Quand vais-je recevoir ma convocation au CCP1 ?');
      await waitFor(() => ticketCards(world, support).length === 1, { what: 'the ticket card', timeoutMs: 10_000 });
      const card = ticketCards(world, support)[0]!;
      await world.mm.clickButton(world.bob, card, 'Répondre');
      const dialog = await waitFor(() => world.mm.dialogs.at(-1), { what: 'the answer dialog' });
      const relays = () => botPostsIn(world, world.mm.directChannel(world.alice, world.botUser)).filter((post) => post.message.includes('Réponse à votre question')).length;

      const outageStart = Date.now();
      world.mm.failRequests({ forMs: 6000, status: 503 });
      const answer = { reponse: 'Elle vous sera envoyée par courriel trois semaines avant la session.' };
      const submissions = [await world.mm.submitDialog(world.bob, dialog, answer), await world.mm.submitDialog(world.bob, dialog, answer)];
      const relaysDuring = relays();
      await waitFor(() => Date.now() - outageStart > 6500, { timeoutMs: 10_000 });
      clock.advance(16 * 60_000); // past the outbox's backoff
      await waitFor(() => relays() > 0, { what: 'the relay after the outage', timeoutMs: 20_000 });
      clock.advance(16 * 60_000);
      await sleep(3000);

      const answered = count(world.app.db, "SELECT COUNT(*) AS n FROM escalation_ticket_events WHERE event = 'answered'");
      const relayed = relays();
      const statuses = submissions.map((submission) => submission.httpStatus);
      record(
        'API 5xx: answer dialog submitted twice during the outage',
        '2 × 200, 1 answered event, 0 relay during, 1 relay after',
        `${statuses.join(',')}; ${answered} answered event(s); ${relaysDuring} relay(s) during, ${relayed} after`,
        statuses.every((status) => status === 200) && answered === 1 && relaysDuring === 0 && relayed === 1,
      );
    } finally {
      await close();
    }
  }, 60_000);
});

describe('faults: disk full', () => {
  it('answers in French when SQLite cannot write, saves nothing it does not confirm, and works again once space is back', async () => {
    const { world, support, close } = await escalationWorld();
    try {
      await declareProfile(world, world.alice);
      const db = world.app.db;
      // The file may not grow any more (max_page_count): what still fits in free page space is written, anything
      // needing a new page fails with SQLITE_FULL, as on a full disk. A filler table takes the free space first.
      db.exec('CREATE TABLE IF NOT EXISTS faults_filler (x BLOB)');
      db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true })) + 2}`);
      let fullError = '';
      for (const size of [4000, 500, 50]) {
        try {
          for (let i = 0; i < 10_000; i += 1) db.prepare('INSERT INTO faults_filler VALUES (randomblob(?))').run(size);
        } catch (error) {
          fullError = (error as { code?: string }).code ?? String(error);
        }
      }

      // New users keep typing: each reply must be French, without internals, and say « saved » only when it is.
      const outcomes: { reply: string; saved: boolean; confirmed: boolean }[] = [];
      for (let i = 0; i < 600 && outcomes.filter((o) => !o.confirmed).length < 5; i += 1) {
        const user = world.mm.addUser(`nouveau${i}`);
        world.channel.members.add(user.id);
        const deadline = i % 2 === 1;
        const outcome = await world.mm.executeCommand(user, world.channel, deadline ? '/deadline 31/08/2026' : '/dossier coche dp');
        const reply = outcome.ephemerals.at(-1)?.message ?? `(failed: ${outcome.error ?? outcome.httpStatus})`;
        const saved = deadline
          ? count(db, 'SELECT COUNT(*) AS n FROM deadline_calendars WHERE user_id = ?', user.id) === 1
          : count(db, "SELECT COUNT(*) AS n FROM dossier_items WHERE user_id = ? AND item = 'dp'", user.id) === 1;
        // What each command says on success (the storage refusal also says « enregistrer », so that word alone is not enough).
        outcomes.push({ reply, saved, confirmed: /^✅ Coché|Vos dates sont enregistrées/.test(reply) });
      }
      const refused = outcomes.filter((o) => !o.confirmed);
      const lying = outcomes.filter((o) => o.confirmed !== o.saved);
      const leaking = outcomes.filter((o) => /SQLITE|Error\b|\bat \w+ \(|node:internal/.test(o.reply) || !/[a-zàâçéèêëîïôûùüÿœ]{4,}/i.test(o.reply));

      // Tickets: confirmed ⇔ stored, and every stored ticket gets its card once space is back.
      const ticketsBefore = count(db, 'SELECT COUNT(*) AS n FROM escalation_tickets');
      const ticketReplies: string[] = [];
      for (let i = 0; i < 30 && ticketReplies.every((text) => text.includes('transmis')); i += 1) {
        const before = world.mm.ephemeralsFor(world.alice).length;
        const { click } = await askReferent(world, world.alice, `Ma convocation au CCP1 arrive quand ? (essai ${i + 1})`);
        const shown = world.mm.ephemeralsFor(world.alice).slice(before).map((post) => post.message);
        // The click's own answer (ephemeral_text or an update) comes after the proposal.
        const clickText = JSON.stringify(click.body ?? click.error ?? '');
        ticketReplies.push([...shown, clickText].join(' | '));
      }
      const ticketsWhileFull = count(db, 'SELECT COUNT(*) AS n FROM escalation_tickets') - ticketsBefore;
      const ticketsConfirmed = ticketReplies.filter((text) => text.includes('transmis')).length;
      const mention = world.mm.postAs(world.alice, world.channel, '@certif-bot le Pix est-il obligatoire ?');
      await sleep(1000);
      const alive = (await fetch(`${world.bot.url}/healthz`)).status;

      db.exec('DROP TABLE faults_filler');
      db.pragma('max_page_count = 1073741823');
      const after = await world.mm.executeCommand(world.bob, world.channel, '/deadline 31/08/2026');
      const saved = count(db, 'SELECT COUNT(*) AS n FROM deadline_calendars WHERE user_id = ?', world.bob.id);
      await askReferent(world, world.alice, 'Et ma convocation au CCP1, alors ?');
      const tickets = count(db, 'SELECT COUNT(*) AS n FROM escalation_tickets');
      await waitFor(() => ticketCards(world, support).length >= tickets, { what: 'every ticket card after recovery', timeoutMs: 10_000 }).catch(() => undefined);
      await waitFor(() => answersTo(world, mention).length > 0, { what: 'the mention made while the disk was full', timeoutMs: 10_000 }).catch(() => undefined);
      await sleep(1500);
      await world.bot.listener?.idle();
      const cards = ticketCards(world, support).length;
      const mentionAnswers = answersTo(world, mention).length;

      record('disk full: SQLite writes fail', 'SQLITE_FULL', fullError, fullError === 'SQLITE_FULL');
      record(
        'disk full: /deadline, /dossier (new users)',
        'refusals in French, no internals, « saved » only when saved',
        `${outcomes.length} commands: ${outcomes.length - refused.length} saved, ${refused.length} refused (« ${refused[0]?.reply.slice(0, 70) ?? '-'} »); ${lying.length} inconsistent; ${leaking.length} leaking`,
        refused.length > 0 && lying.length === 0 && leaking.length === 0,
      );
      record(
        'disk full: tickets (until one is refused)',
        'confirmed ⇔ stored; a French refusal',
        `${ticketReplies.length} tries, ${ticketsConfirmed} confirmed, ${ticketsWhileFull} stored; refusal: « ${ticketReplies.find((text) => !text.includes('transmis'))?.split(' | ').slice(1).join(' ').slice(0, 110) ?? '-'} »`,
        ticketsConfirmed === ticketsWhileFull && ticketsConfirmed < ticketReplies.length && ticketReplies.every((text) => !/SQLITE|Error\b/.test(text)),
      );
      record('disk full: process', 'alive', `/healthz ${alive}`, alive === 200);
      record(
        'disk full: recovery once space is back',
        '/deadline saved; 1 card per ticket',
        `« ${after.ephemerals.at(-1)?.message.slice(0, 50)} »; saved ${saved}; ${tickets} ticket(s), ${cards} card(s)`,
        saved === 1 && cards === tickets && tickets === ticketsBefore + ticketsWhileFull + 1,
      );
      record('disk full: mention made while full', 'answered once after recovery', `${mentionAnswers} answer(s)`, mentionAnswers === 1);
    } finally {
      await close();
    }
  }, 90_000);
});

describe('faults: SIGKILL', () => {
  let child: ChildWorld | undefined;
  afterAll(async () => {
    await child?.close();
  });

  const openDb = (world: ChildWorld) => new Database(path.join(world.dataDir, 'certif-bot.sqlite'), { readonly: true, fileMustExist: true });

  it('killed in the middle of an escalation (card post in flight), « Transmettre » twice around the restart: 1 ticket, 1 card', async () => {
    child = await startChildWorld();
    const w = child;
    await w.start();
    const profile = await w.mm.executeCommand(w.alice, w.channel, '/certif profil organisme Organisme Test cohorte Test 2026');
    expect(profile.ephemerals.at(-1)?.message).toContain('Organisme Test');
    const proposal = (await w.mm.executeCommand(w.alice, w.channel, '/referent Quand vais-je recevoir ma convocation au CCP1 ?')).ephemerals.at(-1)!;
    // Unsure it went through, she had asked the same question a second time: another proposal, another button.
    const second = (await w.mm.executeCommand(w.alice, w.channel, '/referent Quand vais-je recevoir ma convocation au CCP1 ?')).ephemerals.at(-1)!;
    // The card's POST reaches Mattermost, which takes 3 s to answer; the bot dies meanwhile.
    w.mm.slowResponses({ method: 'POST', path: /^\/posts$/, delayMs: 3000, times: 1 });
    const postsBefore = w.mm.requestsTo('POST', /^\/posts$/).length;
    const click = w.mm.clickButton(w.alice, proposal, 'Transmettre');
    await waitFor(() => w.mm.requestsTo('POST', /^\/posts$/).length > postsBefore, { what: 'the card post in flight', timeoutMs: 10_000 });
    await w.kill();
    const clicked = await click;
    await w.start();
    await waitFor(() => ticketCards(w, w.support).length > 0, { what: 'the card after restart', timeoutMs: 20_000 });
    // After the restart she clicks « Transmettre » again on the first proposal, then on the second one.
    const again = await w.mm.clickButton(w.alice, proposal, 'Transmettre');
    const other = await w.mm.clickButton(w.alice, second, 'Transmettre');
    await sleep(3000);
    const db = openDb(w);
    const tickets = count(db, 'SELECT COUNT(*) AS n FROM escalation_tickets');
    const undelivered = count(db, 'SELECT COUNT(*) AS n FROM escalation_outbox WHERE delivered_at IS NULL');
    db.close();
    const cards = ticketCards(w, w.support).length;
    const dm = w.mm.directChannel(w.alice, w.botUser);
    const notices = botPostsIn(w, dm).length;
    record(
      'SIGKILL during an escalation, « Transmettre » twice after',
      '1 ticket, 1 card, outbox empty; both clicks answered, no new ticket',
      `click ${clicked.ok ? 'answered' : 'cut'}; ${tickets} ticket(s), ${cards} card(s), ${notices} DM(s) to the asker, ${undelivered} undelivered; ` +
        `same button again: ${JSON.stringify(again.body).slice(0, 90)}; second proposal: ${JSON.stringify(other.body).slice(0, 90)}`,
      tickets === 1 && cards === 1 && undelivered === 0 && again.httpStatus === 200 && other.httpStatus === 200,
    );
    await w.stop();
  }, 60_000);

  it('killed in the middle of a reminder run (DM in flight): 1 reminder DM after restart', async () => {
    child ??= await startChildWorld();
    const w = child;
    // A fresh bot on the same data: alice sets an exam date in 10 days and turns reminders on.
    await w.start();
    const exam = new Date(Date.now() + 10 * 24 * 3600_000);
    const typed = `${String(exam.getDate()).padStart(2, '0')}/${String(exam.getMonth() + 1).padStart(2, '0')}/${exam.getFullYear()}`;
    await w.mm.executeCommand(w.alice, w.channel, `/deadline examen ${typed}`);
    const optIn = await w.mm.executeCommand(w.alice, w.channel, '/deadline rappels oui');
    expect(optIn.ephemerals.at(-1)?.message).toContain('Rappels activés');
    await w.stop();
    // Time travel in the data rather than in the clock: the first reminder falls due now.
    let db = new Database(path.join(w.dataDir, 'certif-bot.sqlite'));
    const first = db.prepare("SELECT id FROM deadline_reminders WHERE status = 'pending' ORDER BY due_at LIMIT 1").get() as { id: number };
    db.prepare('UPDATE deadline_reminders SET due_at = ? WHERE id = ?').run(new Date(Date.now() - 30_000).toISOString(), first.id);
    db.close();
    const dm = w.mm.directChannel(w.alice, w.botUser);
    const dmBefore = botPostsIn(w, dm).length;

    // The first tick at start-up sends it; Mattermost takes 2.5 s to answer; SIGKILL meanwhile.
    w.mm.slowResponses({ method: 'POST', path: /^\/posts$/, delayMs: 2500, times: 1 });
    const postsBefore = w.mm.requestsTo('POST', /^\/posts$/).length;
    await w.start();
    await waitFor(() => w.mm.requestsTo('POST', /^\/posts$/).length > postsBefore, { what: 'the reminder DM in flight', timeoutMs: 10_000 });
    await w.kill();
    await waitFor(() => botPostsIn(w, dm).length > dmBefore, { what: 'the DM processed by Mattermost after the kill', timeoutMs: 5000 }).catch(() => undefined);
    const dmAfterKill = botPostsIn(w, dm).length - dmBefore;
    const processedAt = Date.now();
    db = openDb(w);
    const claimed = db.prepare('SELECT status FROM deadline_reminders WHERE id = ?').get(first.id) as { status: string };
    db.close();
    // Mattermost forgets a pending_post_id after 30 s: wait that long in real time so that the stand-in does too, and a
    // resend would really post twice.
    await waitFor(() => Date.now() - processedAt > 31_000, { timeoutMs: 40_000 });
    const statusOf = () => {
      const reader = openDb(w);
      try {
        return (reader.prepare('SELECT status FROM deadline_reminders WHERE id = ?').get(first.id) as { status: string }).status;
      } finally {
        reader.close();
      }
    };
    // The killed run's claim is taken back 10 minutes after it was made (STALE_CLAIM_MS): restarts with a clock
    // 9 minutes, then 11 minutes ahead. The first must leave it alone, the second send it once.
    const early = await w.startInProcess({ now: () => new Date(Date.now() + 9 * 60_000) });
    await sleep(3000);
    await early.close();
    const statusEarly = statusOf();
    const remindersEarly = botPostsIn(w, dm).length - dmBefore;
    const late = await w.startInProcess({ now: () => new Date(Date.now() + 11 * 60_000) });
    await waitFor(() => statusOf() === 'sent', { what: 'the reminder retried and marked sent', timeoutMs: 15_000 }).catch(() => undefined);
    await sleep(3000);
    await late.close();
    db = openDb(w);
    const row = db.prepare('SELECT status FROM deadline_reminders WHERE id = ?').get(first.id) as { status: string };
    const sent = count(db, "SELECT COUNT(*) AS n FROM deadline_reminders WHERE status = 'sent'");
    db.close();
    const reminders = botPostsIn(w, dm).length - dmBefore;
    record(
      'SIGKILL during a reminder run; restarts 9 then 11 min later (clock)',
      'claim kept at +9 min; 1 reminder DM, row sent at +11 min',
      `row ${claimed.status} at the kill (${dmAfterKill} DM reached Mattermost); +9 min: ${statusEarly}, ${remindersEarly} DM(s); ` +
        `+11 min: ${row.status}; ${reminders} DM(s); ${sent} sent row(s)`,
      statusEarly === 'sending' && remindersEarly === dmAfterKill && reminders === 1 && row.status === 'sent' && sent === 1,
    );
  }, 90_000);

  it('killed during a burst of writes: every confirmed write is stored, the database is intact, the bot restarts', async () => {
    child ??= await startChildWorld();
    const w = child;
    await w.start();
    const users = Array.from({ length: 40 }, (_, index) => {
      const user = w.mm.addUser(`rafale${index}`);
      w.channel.members.add(user.id);
      return user;
    });
    // 80 writes at once (two per user), and SIGKILL as soon as 20 are answered.
    let answered = 0;
    const sent = users.flatMap((user) =>
      (['/dossier coche dp', '/deadline 31/08/2026'] as const).map(async (command) => {
        const outcome = await w.mm.executeCommand(user, w.channel, command);
        answered += 1;
        const reply = outcome.ephemerals.at(-1)?.message ?? '';
        return { user, command, reply, status: outcome.httpStatus, error: outcome.error, confirmed: command === '/deadline 31/08/2026' ? /Vos dates sont enregistrées/.test(reply) : /^✅ Coché/.test(reply) };
      }),
    );
    await waitFor(() => answered >= 20, { what: '20 answers', timeoutMs: 20_000 });
    await w.kill();
    const outcomes = await Promise.all(sent);
    // Read-write, as the restarted bot opens it: SQLite recovers the killed process's WAL first.
    const db = new Database(path.join(w.dataDir, 'certif-bot.sqlite'));
    const integrity = db.pragma('integrity_check', { simple: true });
    const stored = (outcome: (typeof outcomes)[number]) =>
      outcome.command === '/deadline 31/08/2026'
        ? count(db, 'SELECT COUNT(*) AS n FROM deadline_calendars WHERE user_id = ?', outcome.user.id) === 1
        : count(db, "SELECT COUNT(*) AS n FROM dossier_items WHERE user_id = ? AND item = 'dp'", outcome.user.id) === 1;
    const confirmed = outcomes.filter((outcome) => outcome.confirmed);
    const lost = confirmed.filter((outcome) => !stored(outcome));
    db.close();
    await w.start();
    const after = await w.mm.executeCommand(users[0]!, w.channel, '/deadline 15/09/2026');
    const restarted = /Vos dates sont enregistrées/.test(after.ephemerals.at(-1)?.message ?? '');
    record(
      'SIGKILL during a burst of 80 writes',
      'some confirmed, some cut; every confirmed one stored; integrity ok; works after restart',
      `${confirmed.length} confirmed, ${outcomes.length - confirmed.length} cut or refused; ${lost.length} confirmed but lost ${JSON.stringify(lost.map((o) => `${o.user.username} ${o.command} ${o.status} ${o.error} ${o.reply.slice(0, 60)}`))}; integrity ${String(integrity)}; after restart ${restarted ? 'saved' : 'not saved'}`,
      confirmed.length > 0 && confirmed.length < outcomes.length && lost.length === 0 && integrity === 'ok' && restarted,
    );
    await w.stop();
  }, 60_000);
});
