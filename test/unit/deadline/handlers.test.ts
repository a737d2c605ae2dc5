import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageReply, Reply } from '../../../src/core/reply.js';
import { DEADLINE_DIALOG, REMINDERS_ACTION } from '../../../src/features/deadline/index.js';
import { DEADLINE_MIGRATIONS, registerDeadline } from '../../../src/features/deadline/index.js';
import { buildExport } from '../../../src/features/privacy/privacy-handlers.js';
import { aFeatureDeps } from '../../support/feature-deps.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';
import { aCommand, aDialogSubmission, anAction, aUser, createTestApp, type TestApp } from '../../support/test-app.js';

const text = (reply: Reply): string => {
  expect(reply.type).toBe('message');
  return (reply as MessageReply).text;
};

describe('/deadline handlers', () => {
  let app: TestApp;
  beforeEach(() => {
    app = createTestApp({ now: '2026-11-23T09:00:00Z' });
  });
  afterEach(async () => {
    await app.close();
  });

  const calendarRow = () => app.db.prepare('SELECT * FROM deadline_calendars').all();
  const reminderRows = () => app.db.prepare('SELECT kind, target_date, due_at, status FROM deadline_reminders ORDER BY due_at').all();

  it('answers an end date with the limit, the worry date, days left and the status, privately', async () => {
    const reply = await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    const shown = text(reply);
    expect((reply as MessageReply).visibility).toBeUndefined();
    expect(shown).toContain('| Fin de formation | Lundi 31 août 2026 |');
    expect(shown).toContain('**Dimanche 28 février 2027**');
    expect(shown).toContain('⚠️ La date limite tombe un dimanche');
    expect(shown).toContain(
      "Les convocations sont envoyées au moins un mois avant l'examen : si vous n'avez toujours pas reçu la vôtre le 28/01/2027 " +
        '(un mois avant la date limite), contactez votre organisme de formation.',
    );
    expect(shown).toContain('| Jours restants | 97 jours |');
    expect(shown).toContain('🟢 À venir');
    expect((reply as MessageReply).buttons?.map((button) => button.action)).toEqual([REMINDERS_ACTION]);
    expect(calendarRow()).toMatchObject([{ user_id: 'user-alice', end_date: '2026-08-31', reminders: 0 }]);
  });

  it.each(['31-08-2026', '31.08.26', '2026-08-31', '31 août 2026', '31 aout 2026'])('accepts %s', async (form) => {
    expect(text(await app.router.dispatch(aCommand('deadline', form)))).toContain('Dimanche 28 février 2027');
  });

  it('handles the leap-year example 31/08/2023 → 29/02/2024, past: status dépassé with what to do', async () => {
    const shown = text(await app.router.dispatch(aCommand('deadline', '31/08/2023')));
    expect(shown).toContain('**Jeudi 29 février 2024**');
    expect(shown).toContain('🔴 Dépassé');
    expect(shown).toContain('contactez sans attendre votre organisme de formation');
    // Was « dépassée de 998 jours » in the « Jours restants » cell (issue 18): said as a person would, with a warning
    // that a limit passed years ago probably means a mistyped year.
    expect(shown).toContain('| Jours restants | aucun : date limite passée depuis plus de 2 ans |');
    expect(shown).toContain("la date limite est passée depuis plus de 2 ans : vérifiez l'année saisie.");
  });

  it('says « bientôt » within 30 days of the limit', async () => {
    const shown = text(await app.router.dispatch(aCommand('deadline', '15/06/2026')));
    expect(shown).toContain('🟠 Bientôt');
    expect(shown).toContain('| Jours restants | 22 jours |');
  });

  it.each([
    ['31/02/2027', "Le 31 février 2027 n'existe pas"],
    ['31/08/1926', "L'année 1926 paraît erronée"],
    ['2126-08-31', "L'année 2126 paraît erronée"],
    ['bientôt', 'Je ne reconnais pas la date'],
  ])('refuses %s in French and saves nothing', async (input, expected) => {
    const shown = text(await app.router.dispatch(aCommand('deadline', input)));
    expect(shown).toContain(expected);
    expect(shown).toContain('/deadline 31/08/2026');
    expect(calendarRow()).toEqual([]);
  });

  it('records an exam: convocation date, employer release, warning after the limit', async () => {
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    const shown = text(await app.router.dispatch(aCommand('deadline', 'examen 12/01/2027')));
    expect(shown).toContain('| Examen | Mardi 12 janvier 2027 (dans 50 jours) |');
    expect(shown).toContain('| Convocation envoyée au plus tard le | Samedi 12 décembre 2026 |');
    expect(shown).toContain('Votre convocation doit vous être envoyée (par e-mail et/ou courrier) au plus tard le 12/12/2026.');
    expect(shown).not.toContain('parvenir');
    expect(shown).toContain('Votre employeur est tenu de vous libérer');
    expect(shown).not.toContain('après la limite des six mois');
    const late = text(await app.router.dispatch(aCommand('deadline', 'examen 01/03/2027')));
    expect(late).toContain('⚠️ Cette date d\'examen est après la limite des six mois');
    expect(calendarRow()).toMatchObject([{ end_date: '2026-08-31', exam_date: '2027-03-01' }]);
  });

  it('saves an exam date before the end of training, but not silently: a French warning to check both dates', async () => {
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    const shown = text(await app.router.dispatch(aCommand('deadline', 'examen 15/07/2026')));
    expect(shown).toContain("⚠️ Cette date d'examen (15/07/2026) est antérieure à votre fin de formation (31/08/2026)");
    expect(shown).toContain('vérifiez ces deux dates');
    expect(shown).toContain("Cette date d'examen est passée.");
    expect(calendarRow()).toMatchObject([{ end_date: '2026-08-31', exam_date: '2026-07-15' }]);
  });

  it('refuses a bad exam date without touching the saved one', async () => {
    await app.router.dispatch(aCommand('deadline', 'examen 12/01/2027'));
    const shown = text(await app.router.dispatch(aCommand('deadline', 'examen 30/02/2027')));
    expect(shown).toContain("Le 30 février 2027 n'existe pas");
    expect(shown).toContain('/deadline examen 12/01/2027');
    expect(calendarRow()).toMatchObject([{ exam_date: '2027-01-12' }]);
  });

  it('records a Pix date, valid three years (indicative)', async () => {
    const shown = text(await app.router.dispatch(aCommand('deadline', 'pix 10/05/2026')));
    expect(shown).toContain('| Validité indicative du certificat Pix (3 ans) | Jeudi 10 mai 2029 |');
    expect(shown).toContain('la date de fin est donc indicative');
    expect(shown).toContain('Indiquez aussi votre date de fin de formation');
  });

  it('`/deadline` alone opens a dialog when nothing is saved, and shows the calendar otherwise', async () => {
    const first = await app.router.dispatch(aCommand('deadline', ''));
    expect(first.type).toBe('dialog');
    if (first.type === 'dialog') {
      expect(first.dialog.callbackId).toBe(DEADLINE_DIALOG);
      expect(Array.from(first.dialog.title).length).toBeLessThanOrEqual(24);
      expect(first.fallback.text).toContain('/deadline 31/08/2026');
    }
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    expect(text(await app.router.dispatch(aCommand('deadline', '')))).toContain('Dimanche 28 février 2027');
  });

  it('takes the dialog: French errors per field, then saves', async () => {
    const bad = await app.router.dispatch(aDialogSubmission(DEADLINE_DIALOG, { fin: '31/02/2027', examen: 'demain' }));
    expect(bad).toEqual({
      type: 'dialog_errors',
      errors: { fin: expect.stringContaining("Le 31 février 2027 n'existe pas"), examen: expect.stringContaining('Je ne reconnais pas la date') },
    });
    expect(calendarRow()).toEqual([]);
    const good = await app.router.dispatch(aDialogSubmission(DEADLINE_DIALOG, { fin: '31 août 2026', examen: '' }));
    expect(text(good)).toContain('Dimanche 28 février 2027');
    expect(calendarRow()).toMatchObject([{ end_date: '2026-08-31', exam_date: null }]);
  });

  it('opts in and out of reminders, planning 09:00 Paris reminders', async () => {
    const early = text(await app.router.dispatch(aCommand('deadline', 'rappels oui')));
    expect(early).toContain("Je n'ai encore aucune date à vous rappeler");
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    await app.router.dispatch(aCommand('deadline', 'examen 12/01/2027'));
    expect(reminderRows()).toEqual([]);
    const on = text(await app.router.dispatch(aCommand('deadline', 'rappels oui')));
    expect(on).toContain('🔔 Rappels activés');
    expect(on).toContain("Mardi 5 janvier 2027 à 9 h : 7 jours avant l'examen");
    // The exam (12/01) is before the limit (28/02): no limit reminder, it would arrive after the exam.
    expect(on).not.toContain('date limite');
    expect(reminderRows()).toEqual([
      { kind: 'exam-7', target_date: '2027-01-12', due_at: '2027-01-05T08:00:00.000Z', status: 'pending' },
      { kind: 'exam-1', target_date: '2027-01-12', due_at: '2027-01-11T08:00:00.000Z', status: 'pending' },
    ]);
    const off = text(await app.router.dispatch(aCommand('deadline', 'rappels non')));
    expect(off).toContain('je ne vous enverrai plus de rappels');
    expect(reminderRows()).toEqual([]);
    expect(text(await app.router.dispatch(aCommand('deadline', 'rappels peut-être')))).toContain('Répondez par `oui` ou `non`');
  });

  it('keeps the limit reminders when the exam is after the limit, and lists them in correct French', async () => {
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    await app.router.dispatch(aCommand('deadline', 'examen 01/03/2027'));
    const on = text(await app.router.dispatch(aCommand('deadline', 'rappels oui')));
    expect(on).toContain('Vendredi 29 janvier 2027 à 9 h : 30 jours avant la date limite des six mois (dimanche 28 février 2027)');
    expect(on).toContain("Lundi 22 février 2027 à 9 h : 7 jours avant l'examen (lundi 1er mars 2027)");
    expect(reminderRows()).toMatchObject([{ kind: 'limit-30' }, { kind: 'limit-7' }, { kind: 'exam-7' }, { kind: 'exam-1' }]);
  });

  it('says in the calendar that the sources differ on the six months (présenté / inscrit)', async () => {
    const shown = text(await app.router.dispatch(aCommand('deadline', '31/08/2026')));
    // Was « d'être présenté(e) … inscrit(e) »: one writing convention for the whole bot, no gendered forms (issue 18).
    expect(shown).toContain("l'une parle de présentation aux examens, l'autre d'inscription par votre organisme de formation");
    expect(shown).toContain('Confirmez avec lui');
    expect(text(await app.router.dispatch(aCommand('deadline', 'pix 10/05/2026')))).toContain('Les sources officielles diffèrent');
  });

  it('the « Recevoir les rappels » button turns them on', async () => {
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    expect(text(await app.router.dispatch(anAction(REMINDERS_ACTION, { on: true })))).toContain('🔔 Rappels activés');
    expect(calendarRow()).toMatchObject([{ reminders: 1 }]);
  });

  it('re-plans reminders when the end date changes', async () => {
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    await app.router.dispatch(aCommand('deadline', 'rappels oui'));
    await app.router.dispatch(aCommand('deadline', '30/09/2026'));
    expect(reminderRows()).toMatchObject([
      { kind: 'limit-30', target_date: '2027-03-30' },
      { kind: 'limit-7', target_date: '2027-03-30' },
    ]);
  });

  it('sends an .ics file by direct message', async () => {
    expect(text(await app.router.dispatch(aCommand('deadline', 'calendrier')))).toContain("Je n'ai aucune date enregistrée");
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    await app.router.dispatch(aCommand('deadline', 'examen 12/01/2027'));
    expect(text(await app.router.dispatch(aCommand('deadline', 'calendrier')))).toContain('en message privé');
    const post = app.notifier.posts.at(-1)!;
    expect(post).toMatchObject({ kind: 'direct', target: 'user-alice' });
    expect(post.message.file).toMatchObject({ name: 'certification-2026-11-23.ics', mimeType: 'text/calendar' });
    const ics = String(post.message.file!.content);
    expect(ics).toContain('BEGIN:VCALENDAR\r\n');
    expect(ics).toContain('DTSTART;VALUE=DATE:20270228\r\nDTEND;VALUE=DATE:20270301');
    expect(ics).toContain('DTSTART;VALUE=DATE:20270112');
    expect(ics).toContain('DTSTART;VALUE=DATE:20261212');
    // With an exam saved, its own convocation date replaces the « no convocation yet » alert (28/01/2027).
    expect(ics).not.toContain('DTSTART;VALUE=DATE:20270128');
    expect(ics.replace(/\r\n /g, '')).toContain("SUMMARY:Convocation à l'examen envoyée au plus tard");
    // Long lines are folded (the ics library counts characters; calendar apps accept that).
    expect(ics.split('\r\n').every((line) => Array.from(line).length <= 75)).toBe(true);
  });

  it('says so when nothing can be posted (no Mattermost): no .ics, reminders wait', async () => {
    const offline = createTestApp({ now: '2026-11-23T09:00:00Z', notifier: createRecordingNotifier({ canPost: false }) });
    await offline.router.dispatch(aCommand('deadline', '31/08/2026'));
    expect(text(await offline.router.dispatch(aCommand('deadline', 'calendrier')))).toContain("Je ne peux pas envoyer de message privé ici");
    expect(text(await offline.router.dispatch(aCommand('deadline', 'rappels oui')))).toContain("Mattermost n'est pas configuré");
    expect(offline.notifier.posts).toEqual([]);
    await offline.close();
  });

  it('forgets everything on `/deadline oublier`', async () => {
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    await app.router.dispatch(aCommand('deadline', 'rappels oui'));
    expect(text(await app.router.dispatch(aCommand('deadline', 'oublier')))).toContain('Vos dates et vos rappels sont effacés');
    expect(calendarRow()).toEqual([]);
    expect(reminderRows()).toEqual([]);
    expect(text(await app.router.dispatch(aCommand('deadline', 'oublier')))).toContain('rien à effacer');
  });

  it('keeps each user’s calendar apart', async () => {
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    const bob = aUser({ id: 'user-bob', username: 'bob' });
    expect((await app.router.dispatch(aCommand('deadline', '', { user: bob }))).type).toBe('dialog');
  });
});

describe('personal data provider', () => {
  it('exports, summarizes and erases the dates', async () => {
    const deps = aFeatureDeps({ migrations: DEADLINE_MIGRATIONS });
    const { clock, router, db, personalData: registry } = deps;
    registerDeadline(deps);
    await router.dispatch(aCommand('deadline', '31/08/2026'));
    await router.dispatch(aCommand('deadline', 'rappels oui'));
    const provider = registry.list().find((candidate) => candidate.label === 'Dates et rappels')!;
    expect(provider.summarize('user-alice')).toBe('fin de formation 31/08/2026 ; rappels activés');
    expect(provider.summarize('user-bob')).toBeUndefined();
    const exported = buildExport(registry, 'user-alice', clock.now());
    expect(exported.categories).toEqual([
      {
        category: 'Dates et rappels',
        purpose: expect.any(String),
        data: expect.objectContaining({ finDeFormation: '2026-08-31', rappels: true, rappelsPlanifies: expect.arrayContaining([expect.objectContaining({ type: 'limit-30', etat: 'pending' })]) }),
      },
    ]);
    expect(provider.eraseFor('user-alice')).toBe(3);
    expect(provider.exportFor('user-alice')).toBeNull();
    db.close();
  });

  it('purges sent and dropped reminders whose date is before the retention cutoff, and nothing else', async () => {
    const deps = aFeatureDeps({ migrations: DEADLINE_MIGRATIONS });
    const { router, db, personalData: registry } = deps;
    const runner = registerDeadline(deps);
    await router.dispatch(aCommand('deadline', '31/08/2026'));
    await router.dispatch(aCommand('deadline', 'rappels oui'));
    const bob = aUser({ id: 'user-bob', username: 'bob' });
    await router.dispatch(aCommand('deadline', 'examen 12/01/2027', { user: bob }));
    await router.dispatch(aCommand('deadline', 'rappels oui', { user: bob }));
    // 22/02/2027: alice's limit-30 superseded (dropped), limit-7 sent; bob's exam reminders dropped (date passed).
    expect(await runner.runDueReminders(new Date('2027-02-22T09:00:00Z'))).toEqual({ sent: 1, dropped: 3, failed: 0 });
    // A pending one for a long-past date must survive the purge (only finished rows go).
    db.prepare("INSERT INTO deadline_reminders (user_id, kind, target_date, due_at) VALUES ('user-carol', 'exam-1', '2027-01-10', '2027-01-09T08:00:00.000Z')").run();
    const rows = () => db.prepare('SELECT user_id, kind, status FROM deadline_reminders ORDER BY user_id, due_at').all();
    const provider = registry.list().find((candidate) => candidate.label === 'Dates et rappels')!;

    // (Calendars over at the cutoff may go too: the next test; here only the reminders are looked at.)
    const all = rows();
    // Cutoff 12/01/2027 (Paris): bob's target is the cutoff day itself, not before it → kept.
    provider.purgeOlderThan!(new Date('2027-01-12T10:00:00Z'));
    expect(rows()).toEqual(all);
    // Cutoff 13/01/2027 00:30 Paris (12/01 23:30 UTC): bob's rows (12/01) go; alice's (28/02) stay.
    provider.purgeOlderThan!(new Date('2027-01-12T23:30:00Z'));
    expect(rows()).toEqual([
      { user_id: 'user-alice', kind: 'limit-30', status: 'dropped' },
      { user_id: 'user-alice', kind: 'limit-7', status: 'sent' },
      { user_id: 'user-carol', kind: 'exam-1', status: 'pending' },
    ]);
    provider.purgeOlderThan!(new Date('2027-06-01T00:00:00Z'));
    expect(rows()).toEqual([{ user_id: 'user-carol', kind: 'exam-1', status: 'pending' }]);
    db.close();
  });

  it('erases a calendar that is over: untouched since the cutoff, limit, exam and Pix validity before it, nothing left to send', async () => {
    const deps = aFeatureDeps({ migrations: DEADLINE_MIGRATIONS });
    const { router, db, personalData: registry, clock } = deps;
    const runner = registerDeadline(deps);
    const bob = aUser({ id: 'user-bob', username: 'bob' });
    const carol = aUser({ id: 'user-carol', username: 'carol' });
    const dan = aUser({ id: 'user-dan', username: 'dan' });
    // Saved on 23/11/2026. Alice: limit 28/02/2027. Bob: exam 12/03/2027 with reminders. Carol: limit 15/12/2026.
    // Dan: limit 15/12/2026 and a Pix certificate of 20/11/2026, valid until 20/11/2029.
    await router.dispatch(aCommand('deadline', '31/08/2026'));
    await router.dispatch(aCommand('deadline', 'examen 12/03/2027', { user: bob }));
    await router.dispatch(aCommand('deadline', 'rappels oui', { user: bob }));
    await router.dispatch(aCommand('deadline', '15/06/2026', { user: carol }));
    await router.dispatch(aCommand('deadline', '15/06/2026', { user: dan }));
    await router.dispatch(aCommand('deadline', 'pix 20/11/2026', { user: dan }));
    // Carol comes back on 10/03/2027 to change her end date (limit 15/01/2027).
    clock.set('2027-03-10T09:00:00Z');
    await router.dispatch(aCommand('deadline', '15/07/2026', { user: carol }));
    await runner.runDueReminders(new Date('2027-03-11T09:00:00Z'));
    const provider = registry.list().find((candidate) => candidate.label === 'Dates et rappels')!;
    const calendars = () => (db.prepare('SELECT user_id FROM deadline_calendars ORDER BY user_id').all() as { user_id: string }[]).map((row) => row.user_id);
    expect(runner.certificationOngoing('user-alice', new Date('2027-02-27T09:00:00Z'))).toBe(true);
    expect(runner.certificationOngoing('user-alice', new Date('2027-03-01T09:00:00Z'))).toBe(false);
    expect(runner.certificationOngoing('user-nobody', new Date('2027-03-01T09:00:00Z'))).toBe(false);

    // Cutoff 27/02/2027: alice's limit (28/02) is not before it yet.
    provider.purgeOlderThan!(new Date('2027-02-27T09:00:00Z'));
    expect(calendars()).toEqual(['user-alice', 'user-bob', 'user-carol', 'user-dan']);
    // Cutoff 05/03/2027: alice's certification is over; bob's exam (12/03) is ahead; carol changed hers after it; dan's
    // Pix certificate is still valid.
    provider.purgeOlderThan!(new Date('2027-03-05T09:00:00Z'));
    expect(calendars()).toEqual(['user-bob', 'user-carol', 'user-dan']);
    // Cutoff 01/04/2027: a reminder still to send keeps bob's calendar, whatever its dates.
    db.prepare("UPDATE deadline_reminders SET status = 'pending' WHERE user_id = 'user-bob' AND kind = 'exam-1'").run();
    provider.purgeOlderThan!(new Date('2027-04-01T09:00:00Z'));
    expect(calendars()).toEqual(['user-bob', 'user-dan']);
    db.prepare("UPDATE deadline_reminders SET status = 'sent' WHERE user_id = 'user-bob'").run();
    provider.purgeOlderThan!(new Date('2027-04-01T09:00:00Z'));
    expect(calendars()).toEqual(['user-dan']);
    expect(db.prepare("SELECT COUNT(*) AS n FROM deadline_reminders WHERE user_id <> 'user-dan'").get()).toEqual({ n: 0 });
    provider.purgeOlderThan!(new Date('2029-11-21T09:00:00Z'));
    expect(calendars()).toEqual([]);
    db.close();
  });
});
