import { daysBetween, formatLong, formatShort, type CalendarDate } from './dates.js';
import type { CalendarFacts, EndFacts, ExamFacts, PixFacts } from './rules.js';

/** French text for the calendar: a small Markdown table plus a few plain sentences. Pure. */

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function long(date: CalendarDate): string {
  return formatLong(date);
}

export function daysPhrase(days: number): string {
  if (days === 0) return "aujourd'hui";
  if (days === 1) return 'demain';
  if (days === -1) return 'hier';
  if (days > 0) return `dans ${days} jours`;
  return `il y a ${-days} jours`;
}

function remainingCell(days: number): string {
  if (days < 0) return `dépassée de ${-days} jour${days === -1 ? '' : 's'}`;
  if (days === 0) return "c'est aujourd'hui";
  return `${days} jour${days === 1 ? '' : 's'}`;
}

const STATUS_TEXT: Record<EndFacts['status'], string> = {
  a_venir: '🟢 À venir',
  bientot: '🟠 Bientôt',
  depasse: '🔴 Dépassé',
};

export function statusLine(end: EndFacts): string {
  switch (end.status) {
    // What to do without a convocation is said once, by `convocationNote` (the limit itself by `depasse`).
    case 'a_venir':
      return `${STATUS_TEXT.a_venir} : vous avez le temps.`;
    case 'bientot':
      return `${STATUS_TEXT.bientot} : la date limite approche.`;
    case 'depasse':
      return (
        `${STATUS_TEXT.depasse} : les six mois sont écoulés. Si vous n'avez pas encore passé vos examens, contactez ` +
        "sans attendre votre organisme de formation (c'est lui qui vous inscrit) et prévenez votre employeur ; " +
        'en cas de difficulté, parlez-en à votre référent.'
      );
  }
}

export function endRows(end: EndFacts): string[] {
  const rows = [
    `| Fin de formation | ${capitalize(long(end.end))} |`,
    `| Date limite pour être présenté(e) aux deux examens (CCP1 et Pix) | **${capitalize(long(end.limit))}** |`,
    `| Jours restants | ${remainingCell(end.daysLeft)} |`,
  ];
  return rows;
}

export function examRows(exam: ExamFacts): string[] {
  return [
    `| Examen | ${capitalize(long(exam.exam))} (${daysPhrase(exam.daysLeft)}) |`,
    `| Convocation envoyée au plus tard le | ${capitalize(long(exam.convocationBy))} |`,
  ];
}

export function pixRows(pix: PixFacts): string[] {
  return [
    `| Certification Pix | ${capitalize(long(pix.pix))} |`,
    `| Validité indicative du certificat Pix (3 ans) | ${capitalize(long(pix.validUntil))} |`,
  ];
}

/** Seed 000 says « présenté » within six months, seed 002 says « inscription » (domain facts §6, point 2). */
export const SIX_MONTHS_SOURCES_NOTE =
  "ℹ️ Les sources officielles diffèrent sur ce délai de six mois : l'une parle d'être présenté(e) aux examens, " +
  "l'autre d'y être inscrit(e) par votre organisme de formation. Confirmez avec lui ce qui s'applique à vous.";

/**
 * The one sentence about a convocation that has not arrived, from the end date: convocations are sent at least one
 * month before the exam (seed 002) and the exam is due by the six-month limit, so without one by `worryFrom`
 * (limit − 1 month) the user should ask the training body, which registers them (seed 002). Nothing once an exam date
 * is saved (the exam notes give that exam's convocation date) or once the limit is past (the status line says what to do).
 */
export function convocationNote(end: EndFacts, today: CalendarDate, examSaved: boolean): string | undefined {
  if (examSaved || end.status === 'depasse') return undefined;
  if (daysBetween(today, end.worryFrom) >= 0) {
    return (
      `Les convocations sont envoyées au moins un mois avant l'examen : si vous n'avez toujours pas reçu la vôtre le ` +
      `${formatShort(end.worryFrom)} (un mois avant la date limite), contactez votre organisme de formation.`
    );
  }
  return (
    "Les convocations sont envoyées au moins un mois avant l'examen, et il reste moins d'un mois avant la date limite : " +
    "si vous n'avez pas encore reçu la vôtre, contactez dès maintenant votre organisme de formation (c'est lui qui vous inscrit aux examens)."
  );
}

export function endNotes(end: EndFacts, today: CalendarDate, examSaved = false): string[] {
  const notes: string[] = [];
  if (end.limitWarning) {
    notes.push(
      `⚠️ La date limite tombe ${end.limitWarning}. Aucune source ne prévoit de report : confirmez la date avec votre organisme de formation.`,
    );
  }
  const convocation = convocationNote(end, today, examSaved);
  if (convocation) notes.push(convocation);
  notes.push(statusLine(end));
  notes.push(SIX_MONTHS_SOURCES_NOTE);
  return notes;
}

/** Where to correct a date typed by mistake. */
const CORRECT_DATES = 'Pour corriger : `/deadline JJ/MM/AAAA` (fin de formation) ou `/deadline examen JJ/MM/AAAA`.';

export function examNotes(exam: ExamFacts, today: CalendarDate, end?: EndFacts): string[] {
  const notes: string[] = [];
  if (exam.beforeEnd && end) {
    // Seeds 000 and 002: the exams come after (« au terme de ») the training. Saved as typed, but never silently.
    notes.push(
      `⚠️ Cette date d'examen (${formatShort(exam.exam)}) est antérieure à votre fin de formation (${formatShort(end.end)}), ` +
        `alors que les examens ont lieu au terme de la formation : vérifiez ces deux dates, l'une d'elles est peut-être mal saisie. ${CORRECT_DATES}`,
    );
  }
  if (exam.afterLimit) {
    notes.push(
      "⚠️ Cette date d'examen est après la limite des six mois suivant la fin de formation : vérifiez-la avec votre organisme de formation.",
    );
  }
  if (exam.examWarning) notes.push(`⚠️ La date d'examen tombe ${exam.examWarning} : vérifiez-la sur votre convocation.`);
  if (exam.daysLeft < 0) {
    // Seed 002: an absence is justified to the employer and the training body; a new date may then be offered.
    notes.push(
      "Cette date d'examen est passée. Si vous n'avez pas pu vous y présenter, justifiez votre absence auprès de votre employeur " +
        "et de votre organisme de formation : selon la situation, et si votre justificatif est valable, une nouvelle date pourra vous être proposée.",
    );
    return notes;
  }
  const by = formatShort(exam.convocationBy);
  notes.push(
    daysBetween(today, exam.convocationBy) >= 0
      ? `Votre convocation doit vous être envoyée (par e-mail et/ou courrier) au plus tard le ${by}.`
      : `Votre convocation devait vous être envoyée (par e-mail et/ou courrier) au plus tard le ${by} : si vous ne l'avez pas reçue, contactez votre organisme de formation.`,
  );
  notes.push(
    'Votre employeur est tenu de vous libérer de vos obligations professionnelles ce jour-là ; il est informé de la convocation en parallèle.',
  );
  return notes;
}

export function pixNotes(pix: PixFacts): string[] {
  const expired = pix.daysLeft < 0 ? ' Selon cette estimation, il a expiré.' : '';
  return [
    `Le certificat Pix est valable trois ans ; le point de départ exact n'est pas précisé, la date de fin est donc indicative.${expired}`,
  ];
}

/** The full reply text. `title` precedes the table (e.g. « Votre calendrier de certification »). */
export function renderCalendar(facts: CalendarFacts, title = '📅 Votre calendrier de certification'): string {
  const rows: string[] = [];
  const notes: string[] = [];
  if (facts.end) {
    rows.push(...endRows(facts.end));
    notes.push(...endNotes(facts.end, facts.today, facts.exam !== undefined));
  }
  if (facts.exam) {
    rows.push(...examRows(facts.exam));
    notes.push(...examNotes(facts.exam, facts.today, facts.end));
  }
  if (facts.pix) {
    rows.push(...pixRows(facts.pix));
    notes.push(...pixNotes(facts.pix));
  }
  if (!facts.end) {
    notes.push(
      "Indiquez aussi votre date de fin de formation (`/deadline 31/08/2026`) : j'en déduirai la date limite des six mois.",
    );
  }
  const table = ['| | |', '|:--|:--|', ...rows].join('\n');
  return [`**${title}** (aujourd'hui : ${formatShort(facts.today)}, heure de Paris)`, table, ...notes].join('\n\n');
}
