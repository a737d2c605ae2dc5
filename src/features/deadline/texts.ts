import { formatLong, formatShort, type CalendarDate } from '../../core/calendar.js';

/**
 * Every sentence `/deadline` shows — the command's replies, its form, the calendar, the reminders and the `.ics`
 * file — in one place, so that a reviewer reads them together. Pure functions of the facts they state.
 *
 * Writing convention (the whole bot): « vous », and no gendered forms at all — a noun or a rewording instead of
 * « présenté(e) » or « prévenu·e » (« la date limite de présentation aux examens », « recevoir un rappel »).
 */

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** « 1 jour », « 2 jours ». */
export function days(count: number): string {
  return `${count} jour${Math.abs(count) > 1 ? 's' : ''}`;
}

/** « aujourd'hui », « demain », « dans 5 jours », « il y a 3 jours ». */
export function daysPhrase(count: number): string {
  if (count === 0) return "aujourd'hui";
  if (count === 1) return 'demain';
  if (count === -1) return 'hier';
  if (count > 0) return `dans ${days(count)}`;
  return `il y a ${days(-count)}`;
}

/** A time elapsed, as a person says it: « 12 jours », « 5 mois », « plus de 2 ans ». */
export function elapsed(count: number): string {
  if (count <= 60) return days(count);
  if (count < 730) return `${Math.floor(count / 30.44)} mois`;
  const years = Math.floor(count / 365.25);
  return `plus de ${years} an${years > 1 ? 's' : ''}`;
}

// ------------------------------------------------------------------------------------------------- dates as typed

export const DATE_EXAMPLE = '`31/08/2026` (ou `31-08-2026`, `31.08.26`, `2026-08-31`, `31 août 2026`)';

/** French month names: MONTH_NAMES[month - 1]. */
const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;

export const DATE_MISSING = `Indiquez une date, par exemple ${DATE_EXAMPLE}.`;

export function dateUnknown(typed: string): string {
  return `Je ne reconnais pas la date « ${typed} ». Écrivez-la par exemple ${DATE_EXAMPLE}.`;
}

export function monthUnknown(month: number): string {
  return `Le mois « ${month} » n'existe pas. Écrivez la date par exemple ${DATE_EXAMPLE}.`;
}

export function dayUnknown(day: number, month: number, year: number, monthLength: number): string {
  return `Le ${day} ${MONTH_NAMES[month - 1]} ${year} n'existe pas (ce mois compte ${monthLength} jours). Vérifiez la date.`;
}

export function yearImplausible(year: number, from: number, to: number): string {
  return `L'année ${year} paraît erronée : j'accepte les dates entre ${from} et ${to}. Vérifiez la date, par exemple ${DATE_EXAMPLE}.`;
}

// ------------------------------------------------------------------------------------------------- the command

export const HELP =
  '**Commande `/deadline`** (réponses visibles uniquement par vous)\n' +
  '- `/deadline 31/08/2026` : votre date de fin de formation → date limite des six mois\n' +
  "- `/deadline examen 12/01/2027` : la date de votre examen → date limite de convocation\n" +
  '- `/deadline pix 10/05/2026` : la date de votre certification Pix → fin de validité indicative\n' +
  '- `/deadline` : votre calendrier enregistré\n' +
  '- `/deadline rappels oui` ou `non` : rappels en message privé\n' +
  '- `/deadline calendrier` : un fichier `.ics` pour votre agenda\n' +
  '- `/deadline oublier` : efface vos dates et rappels';

export const ASK_END = `Indiquez la date de fin de votre formation, par exemple \`/deadline 31/08/2026\`.\n\n${HELP}`;

export function withHelp(problem: string): string {
  return `${problem}\n\n${HELP}`;
}

export const EXAM_EXAMPLE = 'Exemple : `/deadline examen 12/01/2027`.';
export const PIX_EXAMPLE = 'Exemple : `/deadline pix 10/05/2026`.';

export const END_DIALOG = {
  title: 'Mon calendrier',
  introduction: "Indiquez la date de fin de votre formation : j'en déduis la date limite de présentation aux examens.",
  submit: 'Calculer',
  endLabel: 'Date de fin de formation',
  endHelp: 'Par exemple 31/08/2026 ou 31 août 2026.',
  examLabel: "Date d'examen",
  examHelp: 'Si vous la connaissez déjà.',
} as const;

export const DIALOG_CANCELLED = 'Formulaire annulé : aucune date enregistrée.';

export const REMINDERS_BUTTON = '🔔 Recevoir les rappels';
export const REMINDERS_ON_COMMAND = '/deadline rappels oui';
export const REMINDERS_ARE_ON = '🔔 Rappels activés (`/deadline rappels non` pour les arrêter).';
export const HOW_TO_GET_REMINDERS = 'Pour recevoir un rappel en message privé avant chaque échéance : `/deadline rappels oui`.';
export const SAVED_NOTE = 'Vos dates sont enregistrées ; `/deadline oublier` les efface.';

export const REMINDERS_OFF = "🔕 C'est noté : je ne vous enverrai plus de rappels. Vos dates restent enregistrées.";
export const NOTHING_TO_REMIND =
  "Je n'ai encore aucune date à vous rappeler. Indiquez d'abord votre fin de formation (`/deadline 31/08/2026`) " +
  'ou votre date d’examen (`/deadline examen 12/01/2027`), puis tapez `/deadline rappels oui`.';
export const NO_REMINDER_AHEAD = 'aucun pour le moment : les échéances sont trop proches ou passées.';
export const REMINDERS_OFFLINE = "⚠️ Mattermost n'est pas configuré sur ce serveur : les rappels partiront seulement quand il le sera.";
export const YES_OR_NO = 'Répondez par `oui` ou `non` : `/deadline rappels oui` active les rappels, `/deadline rappels non` les arrête.';

export function remindersOn(lines: readonly string[], offline: boolean): string {
  const list = lines.length > 0 ? lines.map((line) => `- ${line}`).join('\n') : `- ${NO_REMINDER_AHEAD}`;
  return (
    `🔔 Rappels activés. Je vous écrirai en message privé (heure de Paris) :\n${list}\n\n` +
    `Pour les arrêter : \`/deadline rappels non\`.${offline ? `\n\n${REMINDERS_OFFLINE}` : ''}`
  );
}

export const NO_DATES = "Je n'ai aucune date enregistrée pour vous. Commencez par `/deadline 31/08/2026` (votre fin de formation).";
export const CANNOT_SEND_FILE =
  "Je ne peux pas envoyer de message privé ici (Mattermost n'est pas configuré) : le fichier n'a pas été créé. " +
  'Vos dates restent visibles avec `/deadline`.';
export const ICS_SENT =
  '📅 Je vous ai envoyé le fichier `.ics` de vos dates en message privé. Si vos dates changent, redemandez-le avec `/deadline calendrier`.';

export function icsMessage(today: CalendarDate): string {
  return `📅 Vos dates de certification au format agenda (fichier \`.ics\`, établi le ${formatShort(today)}). Ouvrez-le pour les ajouter à votre calendrier.`;
}

export const ERASED = '🗑️ Vos dates et vos rappels sont effacés.';
export const NOTHING_ERASED = "Je n'avais aucune date enregistrée pour vous : rien à effacer.";

export const PERSONAL_DATA = {
  label: 'Dates et rappels',
  purpose: 'Calculer vos échéances de certification (/deadline) et vous envoyer les rappels que vous avez demandés.',
} as const;

export function personalSummary(dates: { end?: CalendarDate; exam?: CalendarDate; pix?: CalendarDate }, reminders: boolean): string {
  const parts = [
    dates.end && `fin de formation ${formatShort(dates.end)}`,
    dates.exam && `examen ${formatShort(dates.exam)}`,
    dates.pix && `Pix ${formatShort(dates.pix)}`,
  ].filter((part): part is string => Boolean(part));
  return `${parts.join(', ') || 'aucune date'} ; rappels ${reminders ? 'activés' : 'désactivés'}`;
}

// ------------------------------------------------------------------------------------------------- the calendar

export function calendarTitle(title: string, today: CalendarDate): string {
  return `**${title}** (aujourd'hui : ${formatShort(today)}, heure de Paris)`;
}

export const DEFAULT_TITLE = '📅 Votre calendrier de certification';

export const ROWS = {
  end: 'Fin de formation',
  limit: 'Date limite de présentation aux deux examens (CCP1 et Pix)',
  remaining: 'Jours restants',
  exam: 'Examen',
  convocationBy: 'Convocation envoyée au plus tard le',
  pix: 'Certification Pix',
  pixValidity: 'Validité indicative du certificat Pix (3 ans)',
} as const;

/** The « Jours restants » cell: never « dépassée de 1906 jours ». */
export function remainingCell(count: number): string {
  if (count < 0) return `aucun : date limite passée depuis ${elapsed(-count)}`;
  if (count === 0) return "c'est aujourd'hui";
  return days(count);
}

export const STATUS = {
  a_venir: '🟢 À venir',
  bientot: '🟠 Bientôt',
  depasse: '🔴 Dépassé',
} as const;

export const STATUS_LINE = {
  a_venir: `${STATUS.a_venir} : vous avez le temps.`,
  limitSoon: `${STATUS.bientot} : la date limite approche.`,
  depasse:
    `${STATUS.depasse} : les six mois sont écoulés. Si vous n'avez pas encore passé vos examens, contactez ` +
    "sans attendre votre organisme de formation (c'est lui qui vous inscrit) et prévenez votre employeur ; " +
    'en cas de difficulté, parlez-en à votre référent.',
} as const;

export function examSoon(count: number): string {
  return `${STATUS.bientot} : votre examen a lieu ${daysPhrase(count)}.`;
}

export function convocationSoon(by: CalendarDate, count: number): string {
  return `${STATUS.bientot} : votre convocation doit vous être envoyée d'ici le ${formatShort(by)} (${daysPhrase(count)}) ; sans nouvelles à cette date, contactez votre organisme de formation.`;
}

/** Seed 000 says « présenté » within six months, seed 002 says « inscription » (domain facts §6, point 2). */
export const SIX_MONTHS_SOURCES_NOTE =
  "ℹ️ Les sources officielles diffèrent sur ce délai de six mois : l'une parle de présentation aux examens, " +
  "l'autre d'inscription par votre organisme de formation. Confirmez avec lui ce qui s'applique à vous.";

export function limitOnNonWorkingDay(reason: string): string {
  return `⚠️ La date limite tombe ${reason}. Aucune source ne prévoit de report : confirmez la date avec votre organisme de formation.`;
}

export function convocationWorry(worryFrom: CalendarDate): string {
  return (
    `Les convocations sont envoyées au moins un mois avant l'examen : si vous n'avez toujours pas reçu la vôtre le ` +
    `${formatShort(worryFrom)} (un mois avant la date limite), contactez votre organisme de formation.`
  );
}

export const CONVOCATION_WORRY_NOW =
  "Les convocations sont envoyées au moins un mois avant l'examen, et il reste moins d'un mois avant la date limite : " +
  "si vous n'avez pas encore reçu la vôtre, contactez dès maintenant votre organisme de formation (c'est lui qui vous inscrit aux examens).";

/** Where to correct a date typed by mistake. */
export const CORRECT_DATES = 'Pour corriger : `/deadline JJ/MM/AAAA` (fin de formation), `/deadline examen JJ/MM/AAAA` ou `/deadline pix JJ/MM/AAAA`.';

export function endLongPast(end: CalendarDate, sinceDays: number): string {
  return (
    `⚠️ Avec une fin de formation le ${formatShort(end)}, la date limite est passée depuis ${elapsed(sinceDays)} : ` +
    `vérifiez l'année saisie. ${CORRECT_DATES}`
  );
}

export function endFarAhead(end: CalendarDate): string {
  return `⚠️ Votre fin de formation le ${formatShort(end)} est dans plus de deux ans, alors qu'une formation dure quelques mois : vérifiez l'année saisie. ${CORRECT_DATES}`;
}

export function examBeforeEnd(exam: CalendarDate, end: CalendarDate): string {
  return (
    `⚠️ Cette date d'examen (${formatShort(exam)}) est antérieure à votre fin de formation (${formatShort(end)}), ` +
    `alors que les examens ont lieu au terme de la formation : vérifiez ces deux dates, l'une d'elles est peut-être mal saisie. ${CORRECT_DATES}`
  );
}

export const EXAM_AFTER_LIMIT =
  "⚠️ Cette date d'examen est après la limite des six mois suivant la fin de formation : vérifiez-la avec votre organisme de formation.";

export function examOnNonWorkingDay(reason: string): string {
  return `⚠️ La date d'examen tombe ${reason} : vérifiez-la sur votre convocation.`;
}

export const EXAM_PASSED =
  "Cette date d'examen est passée. Si vous n'avez pas pu vous y présenter, justifiez votre absence auprès de votre employeur " +
  "et de votre organisme de formation : selon la situation, et si votre justificatif est valable, une nouvelle date pourra vous être proposée.";

export function convocationBy(by: CalendarDate, ahead: boolean): string {
  return ahead
    ? `Votre convocation doit vous être envoyée (par e-mail et/ou courrier) au plus tard le ${formatShort(by)}.`
    : `Votre convocation devait vous être envoyée (par e-mail et/ou courrier) au plus tard le ${formatShort(by)} : si vous ne l'avez pas reçue, contactez votre organisme de formation.`;
}

export const EMPLOYER_RELEASE =
  'Votre employeur est tenu de vous libérer de vos obligations professionnelles ce jour-là ; il est informé de la convocation en parallèle.';

export function pixValidityNote(expired: boolean): string {
  return `Le certificat Pix est valable trois ans ; le point de départ exact n'est pas précisé, la date de fin est donc indicative.${expired ? ' Selon cette estimation, il a expiré.' : ''}`;
}

export function pixBeforeEnd(pix: CalendarDate, end: CalendarDate): string {
  return (
    `⚠️ Cette date de certification Pix (${formatShort(pix)}) est antérieure à votre fin de formation (${formatShort(end)}), ` +
    "alors que les examens ont lieu au terme de la formation : vérifiez-la. S'il s'agit d'une certification obtenue avant la formation, " +
    `demandez à votre organisme de formation si elle compte pour le dispositif. ${CORRECT_DATES}`
  );
}

export const PIX_AFTER_LIMIT =
  '⚠️ Cette date de certification Pix est après la limite des six mois suivant la fin de formation : vérifiez-la avec votre organisme de formation.';

export function pixOnNonWorkingDay(reason: string, ahead: boolean): string {
  return ahead
    ? `⚠️ La date de certification Pix tombe ${reason} : les sessions ont lieu dans un centre agréé, vérifiez la date avec votre organisme de formation.`
    : `⚠️ La date de certification Pix tombe ${reason} : vérifiez-la sur votre attestation Pix. ${CORRECT_DATES}`;
}

export const ASK_END_TOO = "Indiquez aussi votre date de fin de formation (`/deadline 31/08/2026`) : j'en déduirai la date limite des six mois.";

// ------------------------------------------------------------------------------------------------- reminders

export function reminderWhen(count: number, target: CalendarDate): string {
  return count <= 1 ? `${daysPhrase(count)}, ${formatLong(target)}` : `${daysPhrase(count)}, le ${formatLong(target)}`;
}

export function limitReminder(when: string): string[] {
  return [
    `⏰ **Rappel certification** : la date limite de présentation aux examens (CCP1 et Pix) tombe ${when}.`,
    "Si vous n'avez pas encore reçu votre convocation, contactez votre organisme de formation : c'est lui qui vous inscrit.",
  ];
}

export function examReminder(when: string, convocationDeadline: CalendarDate): string[] {
  return [
    `⏰ **Rappel examen** : votre examen a lieu ${when}.`,
    `Votre convocation devait vous être envoyée au plus tard le ${formatLong(convocationDeadline)} ; sans convocation, contactez votre organisme de formation. ` +
      'Votre employeur est tenu de vous libérer ce jour-là.',
  ];
}

export function missingInDossier(items: readonly string[]): string {
  return `Il manque encore dans votre dossier :\n${items.map((item) => `- ${item}`).join('\n')}`;
}

export const REMINDER_FOOTER = 'Votre calendrier : `/deadline` · arrêter les rappels : `/deadline rappels non`';

export function plannedReminder(day: CalendarDate, hour: number, daysBefore: number, family: 'limit' | 'exam', target: CalendarDate): string {
  const label = family === 'limit' ? 'la date limite des six mois' : "l'examen";
  return `${capitalize(formatLong(day))} à ${hour} h : ${days(daysBefore)} avant ${label} (${formatLong(target)})`;
}

// ------------------------------------------------------------------------------------------------- the .ics file

export const ICS = {
  calendarName: 'Certification CnFS',
  limit: {
    summary: 'Date limite de présentation aux examens CCP1 et Pix',
    description: 'Six mois après la fin de formation. Aucun report prévu par les sources : confirmez avec votre organisme de formation.',
  },
  worry: {
    summary: 'Toujours pas de convocation ? Contactez votre organisme de formation',
    description: "Les convocations sont envoyées au moins un mois avant l'examen.",
  },
  exam: {
    summary: 'Examen de certification',
    description: 'Votre employeur est tenu de vous libérer de vos obligations professionnelles ce jour-là.',
  },
  convocation: {
    summary: "Convocation à l'examen envoyée au plus tard",
    description: 'Sans convocation à cette date, contactez votre organisme de formation.',
  },
  pix: {
    summary: 'Fin de validité indicative du certificat Pix',
    description: "Trois ans de validité ; le point de départ exact n'est pas précisé.",
  },
} as const;
