import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { createReminderRunner } from '../../src/features/deadline/index.js';
import { createSilentLogger } from '../../src/logger.js';
import { startWorld, type World } from '../support/bot-harness.js';
import { waitFor } from '../support/mattermost-stand-in.js';

describe('/deadline through Mattermost', () => {
  let world: World;
  const clock = fixedClock('2026-11-23T09:00:00Z');

  beforeEach(async () => {
    clock.set('2026-11-23T09:00:00Z');
    world = await startWorld({ commandTriggers: ['deadline'], clock });
  });
  afterEach(async () => {
    await world.close();
  });

  it('answers the slash command privately with the calendar table', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/deadline 31/08/2026');
    expect(outcome.ok).toBe(true);
    expect(outcome.posts).toHaveLength(0);
    expect(outcome.ephemerals).toHaveLength(1);
    const reply = outcome.ephemerals[0]!.message;
    expect(reply).toContain('| Fin de formation | Lundi 31 août 2026 |');
    expect(reply).toContain('**Dimanche 28 février 2027**');
    expect(reply).toContain('| Jours restants | 97 jours |');
    // Bob sees nothing of it.
    expect(world.mm.ephemeralsFor(world.bob)).toHaveLength(0);
  });

  it('opens a dialog for `/deadline` alone, answers a bad date with French dialog errors, then saves', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/deadline');
    expect(outcome.ok).toBe(true);
    const dialog = await waitFor(() => world.mm.dialogs.at(-1), { what: 'the /deadline dialog' });
    expect(dialog.userId).toBe(world.alice.id);
    expect(dialog.warnings).toEqual([]);

    const bad = await world.mm.submitDialog(world.alice, dialog, { fin: '31/02/2027', examen: '' });
    expect(bad).toMatchObject({ ok: true, body: { errors: { fin: "Le 31 février 2027 n'existe pas (ce mois compte 28 jours). Vérifiez la date." } } });
    expect(world.app.db.prepare('SELECT COUNT(*) AS n FROM deadline_calendars').get()).toEqual({ n: 0 });

    const good = await world.mm.submitDialog(world.alice, dialog, { fin: '31 août 2026', examen: '12/01/2027' });
    expect(good).toMatchObject({ ok: true, body: {} });
    await waitFor(() => world.mm.ephemeralsFor(world.alice).at(-1)?.message.includes('Mardi 12 janvier 2027'), { what: 'the calendar' });
    expect(world.app.db.prepare('SELECT end_date, exam_date FROM deadline_calendars').get()).toEqual({ end_date: '2026-08-31', exam_date: '2027-01-12' });
  });

  it('delivers a due reminder as a DM from the bot, once, and again only after a restart when a new one is due', async () => {
    await world.mm.executeCommand(world.alice, world.channel, '/deadline 31/08/2026');
    await world.mm.executeCommand(world.alice, world.channel, '/deadline examen 12/01/2027');
    const optIn = await world.mm.executeCommand(world.alice, world.channel, '/deadline rappels oui');
    expect(optIn.ephemerals[0]!.message).toContain('🔔 Rappels activés');

    // Drive the scheduler: the same runner the job uses, over the real bot's notifier and database.
    const runner = createReminderRunner({ db: world.app.db, notifier: world.app.notifier, log: createSilentLogger(), timeZone: 'Europe/Paris' });
    const dm = world.mm.directChannel(world.alice, world.botUser);
    expect(await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'))).toMatchObject({ sent: 1 });
    expect(await runner.runDueReminders(new Date('2027-01-05T08:01:00Z'))).toMatchObject({ sent: 0 });
    const posts = world.mm.postsIn(dm);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ user_id: world.botUser.id });
    expect(posts[0]!.message).toContain('votre examen a lieu dans 7 jours, le mardi 12 janvier 2027');

    // Restart while the exam-1 reminder falls due: the new bot's job sends it on its first tick.
    await world.stopBot();
    clock.set('2027-01-11T08:30:00Z');
    await world.startBotAgain();
    await waitFor(() => world.mm.postsIn(dm).length === 2, { what: 'the reminder after restart' });
    expect(world.mm.postsIn(dm)[1]!.message).toContain('votre examen a lieu demain, mardi 12 janvier 2027');
  });

  it('sends the .ics file as a DM attachment', async () => {
    await world.mm.executeCommand(world.alice, world.channel, '/deadline 31/08/2026');
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/deadline calendrier');
    expect(outcome.ephemerals[0]!.message).toContain('en message privé');
    const dm = world.mm.directChannel(world.alice, world.botUser);
    const post = await waitFor(() => world.mm.postsIn(dm).at(-1), { what: 'the DM with the file' });
    expect(post.file_ids).toHaveLength(1);
    const file = world.mm.files.get(post.file_ids[0]!)!;
    expect(file.name).toBe('certification-2026-11-23.ics');
    expect(file.content.toString('utf8')).toContain('DTSTART;VALUE=DATE:20270228');
  });
});
