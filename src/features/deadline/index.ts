import type { BackgroundJob, FeatureDeps } from '../../app.js';
import type { Notifier } from '../../core/notifier.js';
import type { CommandInput, DialogInput } from '../../core/incoming.js';
import { dialogErrors, message, openDialog, type Button, type DialogSpec, type MessageReply, type Reply } from '../../core/reply.js';
import { foldText } from '../../core/text.js';
import type { Logger } from '../../logger.js';
import type { Database } from '../../storage/database.js';
import type { CalendarPort, DossierPort } from '../ports.js';
import { calendarDateIn, DATE_EXAMPLE, formatShort, parseFrenchDate, toIsoDay, type CalendarDate } from './dates.js';
import { renderCalendar } from './render.js';
import { describeReminder, runDueReminders, syncReminders, TICK_MS, type RunSummary } from './reminders.js';
import { calendarIsOver, computeCalendar } from './rules.js';
import { createDeadlineStore, type DeadlineStore, type SavedCalendar } from './store.js';

export { DEADLINE_MIGRATIONS } from './store.js';

export const DEADLINE_DIALOG = 'deadline.end';
export const REMINDERS_ACTION = 'deadline.reminders';

const HELP =
  '**Commande `/deadline`** (réponses visibles par vous seul·e)\n' +
  '- `/deadline 31/08/2026` : votre date de fin de formation → date limite des six mois\n' +
  "- `/deadline examen 12/01/2027` : la date de votre examen → date limite de convocation\n" +
  '- `/deadline pix 10/05/2026` : la date de votre certification Pix → fin de validité indicative\n' +
  '- `/deadline` : votre calendrier enregistré\n' +
  '- `/deadline rappels oui` ou `non` : rappels en message privé\n' +
  '- `/deadline calendrier` : un fichier `.ics` pour votre agenda\n' +
  '- `/deadline oublier` : efface vos dates et rappels';

export interface ReminderRunner {
  runDueReminders(now: Date): Promise<RunSummary>;
}

/**
 * The reminder delivery over a database and a notifier: used by the job, and by tests that drive it directly.
 * Pass `store` when one is already built over `db` (the feature does), so the statements are prepared once.
 */
export function createReminderRunner(deps: {
  db: Database;
  notifier: Notifier;
  log: Logger;
  timeZone: string;
  dossier?: DossierPort;
  onSent?: (kind: string) => void;
  store?: DeadlineStore;
}): ReminderRunner {
  const store = deps.store ?? createDeadlineStore(deps.db);
  return {
    runDueReminders: (now) =>
      runDueReminders({ ...deps, store }, now),
  };
}

function endDialog(): DialogSpec {
  return {
    callbackId: DEADLINE_DIALOG,
    title: 'Mon calendrier',
    introduction: "Indiquez la date de fin de votre formation : j'en déduis la date limite pour être présenté(e) aux examens.",
    submitLabel: 'Calculer',
    elements: [
      { type: 'text', name: 'fin', label: 'Date de fin de formation', placeholder: '31/08/2026', helpText: 'Par exemple 31/08/2026 ou 31 août 2026.' },
      { type: 'text', name: 'examen', label: "Date d'examen (si vous la connaissez)", placeholder: '12/01/2027', optional: true },
    ],
  };
}

export function registerDeadline(deps: FeatureDeps, ports: { dossier?: DossierPort } = {}): ReminderRunner & CalendarPort {
  const { router, db, config, log, notifier } = deps;
  const timeZone = config.timezone;
  const store: DeadlineStore = createDeadlineStore(db);
  const runner = createReminderRunner({
    db,
    store,
    notifier,
    log: log.child({ feature: 'deadline' }),
    timeZone,
    dossier: ports.dossier,
    onSent: (kind) => deps.metrics.countReminderSent(`deadline-${kind}`),
  });

  const parseOrRefuse = (text: string, now: Date): CalendarDate | string => {
    const result = parseFrenchDate(text, now, timeZone);
    return result.ok ? result.date : result.message;
  };

  const remindersButton = (saved: SavedCalendar): Button[] =>
    saved.reminders ? [] : [{ label: '🔔 Recevoir les rappels', action: REMINDERS_ACTION, payload: { on: true }, style: 'primary', command: '/deadline rappels oui' }];

  const calendarReply = (saved: SavedCalendar, now: Date, intro?: string): MessageReply => {
    const facts = computeCalendar(saved, calendarDateIn(now, timeZone));
    const footer = saved.reminders
      ? '🔔 Rappels activés (`/deadline rappels non` pour les arrêter).'
      : 'Pour être prévenu·e en message privé avant les échéances : `/deadline rappels oui`.';
    const text = [intro, renderCalendar(facts), footer, 'Vos dates sont enregistrées ; `/deadline oublier` les efface.']
      .filter((part): part is string => Boolean(part))
      .join('\n\n');
    return message(text, { buttons: remindersButton(saved) });
  };

  const saveAndShow = (userId: string, changes: Parameters<DeadlineStore['save']>[1], now: Date): MessageReply => {
    const saved = store.save(userId, changes, now);
    syncReminders(store, saved, userId, now, timeZone);
    return calendarReply(saved, now);
  };

  router.command(
    { name: 'deadline', description: 'Vos dates de certification : date limite des six mois, examen, Pix, rappels', hint: '[fin de formation JJ/MM/AAAA] | examen | pix | rappels | calendrier | oublier' },
    (input: CommandInput, ctx): Reply => {
      const text = input.text.trim();
      if (text === '') {
        const saved = store.get(input.user.id);
        if (saved && (saved.end || saved.exam || saved.pix)) return calendarReply(saved, ctx.now);
        return openDialog(
          endDialog(),
          message(`Indiquez la date de fin de votre formation, par exemple \`/deadline 31/08/2026\`.\n\n${HELP}`),
        );
      }
      if (['aide', 'help', '?'].includes(foldText(text))) return message(HELP);
      const date = parseOrRefuse(text, ctx.now);
      if (typeof date === 'string') return message(`${date}\n\n${HELP}`);
      return saveAndShow(input.user.id, { end: date }, ctx.now);
    },
  );

  router.subcommand('deadline', ['examen', 'exam'], (input, ctx): Reply => {
    const date = parseOrRefuse(input.text, ctx.now);
    if (typeof date === 'string') return message(`${date}\n\nExemple : \`/deadline examen 12/01/2027\`.`);
    return saveAndShow(input.user.id, { exam: date }, ctx.now);
  });

  router.subcommand('deadline', ['pix'], (input, ctx): Reply => {
    const date = parseOrRefuse(input.text, ctx.now);
    if (typeof date === 'string') return message(`${date}\n\nExemple : \`/deadline pix 10/05/2026\`.`);
    return saveAndShow(input.user.id, { pix: date }, ctx.now);
  });

  const setReminders = (userId: string, on: boolean, now: Date): MessageReply => {
    const saved = store.get(userId);
    if (!on) {
      if (saved) store.save(userId, { reminders: false }, now);
      syncReminders(store, saved && { ...saved, reminders: false }, userId, now, timeZone);
      return message("🔕 C'est noté : je ne vous enverrai plus de rappels. Vos dates restent enregistrées.");
    }
    if (!saved || (!saved.end && !saved.exam)) {
      return message(
        "Je n'ai encore aucune date à vous rappeler. Indiquez d'abord votre fin de formation (`/deadline 31/08/2026`) " +
          'ou votre date d’examen (`/deadline examen 12/01/2027`), puis tapez `/deadline rappels oui`.',
      );
    }
    const updated = store.save(userId, { reminders: true }, now);
    syncReminders(store, updated, userId, now, timeZone);
    const upcoming = store.reminders(userId).filter((row) => row.status === 'pending');
    const list = upcoming.length > 0
      ? upcoming.map((row) => `- ${describeReminder(row, timeZone)}`).join('\n')
      : '- aucun pour le moment : les échéances sont trop proches ou passées.';
    const offline = notifier.canPost
      ? ''
      : "\n\n⚠️ Mattermost n'est pas configuré sur ce serveur : les rappels partiront seulement quand il le sera.";
    return message(`🔔 Rappels activés. Je vous écrirai en message privé (heure de Paris) :\n${list}\n\nPour les arrêter : \`/deadline rappels non\`.${offline}`);
  };

  router.subcommand('deadline', ['rappels', 'rappel'], (input, ctx): Reply => {
    const answer = foldText(input.text);
    if (answer === 'oui') return setReminders(input.user.id, true, ctx.now);
    if (answer === 'non') return setReminders(input.user.id, false, ctx.now);
    return message('Répondez par `oui` ou `non` : `/deadline rappels oui` active les rappels, `/deadline rappels non` les arrête.');
  });

  router.action(REMINDERS_ACTION, (input, ctx): Reply => setReminders(input.user.id, input.payload.on === true, ctx.now));

  router.subcommand('deadline', ['calendrier', 'ics', 'agenda'], async (input, ctx): Promise<Reply> => {
    const saved = store.get(input.user.id);
    if (!saved || (!saved.end && !saved.exam && !saved.pix)) {
      return message("Je n'ai aucune date enregistrée pour vous. Commencez par `/deadline 31/08/2026` (votre fin de formation).");
    }
    if (!notifier.canPost) {
      return message("Je ne peux pas envoyer de message privé ici (Mattermost n'est pas configuré) : le fichier n'a pas été créé.");
    }
    const today = calendarDateIn(ctx.now, timeZone);
    const facts = computeCalendar(saved, today);
    const name = `certification-${toIsoDay(today)}.ics`;
    // Loaded on first use: few users ask for a calendar file, and the ics library (with its validator) costs ~10 MB.
    const { buildIcs } = await import('./ics.js');
    await notifier.sendDirect(
      input.user.id,
      {
        text: `📅 Vos dates de certification au format agenda (fichier \`.ics\`, établi le ${formatShort(today)}). Ouvrez-le pour les ajouter à votre calendrier.`,
        file: { name, mimeType: 'text/calendar', content: buildIcs(facts, input.user.id, ctx.now) },
      },
      { idempotencyKey: `deadline-ics-${input.user.id}-${ctx.requestId}` },
    );
    return message('📅 Je vous ai envoyé le fichier `.ics` de vos dates en message privé.');
  });

  router.subcommand('deadline', ['oublier', 'effacer', 'supprimer'], (input): Reply => {
    const removed = store.erase(input.user.id);
    if (removed === 0) return message("Je n'avais aucune date enregistrée pour vous : rien à effacer.");
    return message('🗑️ Vos dates et vos rappels sont effacés.');
  });

  router.dialog(DEADLINE_DIALOG, (input: DialogInput, ctx): Reply => {
    if (input.cancelled) return message('Formulaire annulé : aucune date enregistrée.');
    const end = parseOrRefuse(String(input.submission.fin ?? ''), ctx.now);
    const examText = String(input.submission.examen ?? '').trim();
    const exam = examText === '' ? undefined : parseOrRefuse(examText, ctx.now);
    const errors: Record<string, string> = {};
    if (typeof end === 'string') errors.fin = end;
    if (typeof exam === 'string') errors.examen = exam;
    if (typeof end === 'string' || typeof exam === 'string') return dialogErrors(errors);
    return saveAndShow(input.user.id, exam ? { end, exam } : { end }, ctx.now);
  });

  deps.personalData.add({
    label: 'Dates et rappels',
    purpose: 'Calculer vos échéances de certification (/deadline) et vous envoyer les rappels que vous avez demandés.',
    exportFor(userId) {
      const saved = store.get(userId);
      if (!saved) return null;
      return {
        finDeFormation: saved.end ? toIsoDay(saved.end) : null,
        examen: saved.exam ? toIsoDay(saved.exam) : null,
        certificationPix: saved.pix ? toIsoDay(saved.pix) : null,
        rappels: saved.reminders,
        creeLe: saved.createdAt,
        modifieLe: saved.updatedAt,
        rappelsPlanifies: store.reminders(userId).map((row) => ({
          type: row.kind,
          dateVisee: row.target_date,
          prevuLe: row.due_at,
          etat: row.status,
        })),
      };
    },
    summarize(userId) {
      const saved = store.get(userId);
      if (!saved) return undefined;
      const dates = [
        saved.end && `fin de formation ${formatShort(saved.end)}`,
        saved.exam && `examen ${formatShort(saved.exam)}`,
        saved.pix && `Pix ${formatShort(saved.pix)}`,
      ].filter((part): part is string => Boolean(part));
      return `${dates.join(', ') || 'aucune date'} ; rappels ${saved.reminders ? 'activés' : 'désactivés'}`;
    },
    eraseFor: (userId) => store.erase(userId),
    // Finished reminders (sent or dropped) for a date before the cutoff serve nothing any more. They are never
    // re-planned: a reminder is only planned when its moment, before its target date, is still ahead. A calendar
    // untouched since the cutoff, whose dates are all past it and with nothing left to send, is a certification
    // that is over: it goes too.
    purgeOlderThan: (cutoff) => {
      const day = calendarDateIn(cutoff, timeZone);
      const over = store.untouchedSince(cutoff).filter((calendar) => calendarIsOver(calendar, day));
      return store.purgeFinishedBefore(day) + over.reduce((deleted, calendar) => deleted + store.erase(calendar.userId), 0);
    },
  });

  const certificationOngoing = (userId: string, at: Date): boolean => {
    const saved = store.get(userId);
    return saved !== undefined && !calendarIsOver(saved, calendarDateIn(at, timeZone));
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** The tick in progress, if any: one at a time, and `stop()` waits for it (a send must be marked before the db closes). */
  let current: Promise<void> | undefined;
  const runTick = async () => {
    try {
      const summary = await runner.runDueReminders(deps.clock.now());
      if (summary.sent + summary.dropped + summary.failed > 0) log.info({ summary }, 'deadline reminders tick');
    } catch (error) {
      log.error({ err: error }, 'deadline reminders tick failed');
    }
  };
  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (!current) {
      current = runTick().finally(() => {
        current = undefined;
      });
    }
    return current;
  };
  const job: BackgroundJob = {
    name: 'deadline-reminders',
    start() {
      stopped = false;
      void tick();
      timer = setInterval(() => void tick(), TICK_MS);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await current;
    },
  };
  deps.addJob(job);
  return { ...runner, certificationOngoing };
}
