import { formatLong, formatShort, type CalendarDate } from './dates.js';
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
    case 'a_venir':
      return `${STATUS_TEXT.a_venir} : vous avez le temps. Surveillez votre convocation à partir du ${formatShort(end.worryFrom)}.`;
    case 'bientot':
      return (
        `${STATUS_TEXT.bientot} : la date limite approche. Si vous n'avez pas encore de convocation, ` +
        "contactez dès maintenant votre organisme de formation : c'est lui qui vous inscrit aux examens."
      );
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
    `| Sans convocation à cette date, contactez votre organisme de formation | ${capitalize(long(end.worryFrom))} |`,
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

export function endNotes(end: EndFacts): string[] {
  const notes: string[] = [];
  if (end.limitWarning) {
    notes.push(
      `⚠️ La date limite tombe ${end.limitWarning}. Aucune source ne prévoit de report : confirmez la date avec votre organisme de formation.`,
    );
  }
  notes.push(
    `Les convocations sont envoyées au moins un mois avant l'examen : si vous n'avez rien reçu vers le ${formatShort(end.worryFrom)}, ` +
      'contactez votre organisme de formation.',
  );
  notes.push(statusLine(end));
  notes.push(SIX_MONTHS_SOURCES_NOTE);
  return notes;
}

export function examNotes(exam: ExamFacts): string[] {
  const notes: string[] = [];
  if (exam.afterLimit) {
    notes.push(
      "⚠️ Cette date d'examen est après la limite des six mois suivant la fin de formation : vérifiez-la avec votre organisme de formation.",
    );
  }
  if (exam.examWarning) notes.push(`⚠️ La date d'examen tombe ${exam.examWarning} : vérifiez-la sur votre convocation.`);
  notes.push(
    `Votre convocation doit vous être envoyée (par e-mail et/ou courrier) au plus tard le ${formatShort(exam.convocationBy)}. ` +
      "Votre employeur est tenu de vous libérer de vos obligations professionnelles ce jour-là : prévenez-le dès que vous avez la date.",
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
    notes.push(...endNotes(facts.end));
  }
  if (facts.exam) {
    rows.push(...examRows(facts.exam));
    notes.push(...examNotes(facts.exam));
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
