import { describe, expect, it } from 'vitest';
import { calendarEvents } from '../../../src/features/deadline/ics.js';
import { fromIsoDay, type CalendarDate } from '../../../src/features/deadline/dates.js';
import { renderCalendar } from '../../../src/features/deadline/render.js';
import { computeCalendar, type CalendarInput } from '../../../src/features/deadline/rules.js';

const d = (iso: string): CalendarDate => fromIsoDay(iso);
const render = (input: CalendarInput, today: string): string => renderCalendar(computeCalendar(input, d(today)));
const count = (text: string, part: string): number => text.split(part).length - 1;

// End 31/08/2026 → limit 28/02/2027 → « no convocation yet » date 28/01/2027.
const END = { end: d('2026-08-31') };

describe('the « no convocation yet » sentence', () => {
  it('is said once, with the seed rule, while the date is ahead', () => {
    const shown = render(END, '2026-11-23');
    expect(shown).toContain(
      "Les convocations sont envoyées au moins un mois avant l'examen : si vous n'avez toujours pas reçu la vôtre le 28/01/2027 " +
        '(un mois avant la date limite), contactez votre organisme de formation.',
    );
    expect(count(shown, '28/01/2027')).toBe(1);
    expect(shown).not.toContain('28 janvier 2027');
    expect(shown).not.toContain('Surveillez');
    expect(shown).toContain('🟢 À venir : vous avez le temps.');
  });

  it('still gives the date on that very day', () => {
    expect(render(END, '2027-01-28')).toContain("si vous n'avez toujours pas reçu la vôtre le 28/01/2027");
  });

  it('fits a past date: no date, contact the training body now', () => {
    const shown = render(END, '2027-02-10');
    expect(shown).toContain('🟠 Bientôt : la date limite approche.');
    expect(shown).toContain(
      "Les convocations sont envoyées au moins un mois avant l'examen, et il reste moins d'un mois avant la date limite : " +
        "si vous n'avez pas encore reçu la vôtre, contactez dès maintenant votre organisme de formation",
    );
    expect(shown).not.toContain('28/01/2027');
    expect(count(shown, 'convocation')).toBe(1);
  });

  it('is left to the status line once the limit is past', () => {
    const shown = render(END, '2027-03-10');
    expect(shown).toContain('🔴 Dépassé');
    expect(shown).toContain('contactez sans attendre votre organisme de formation');
    expect(shown).not.toContain('Les convocations sont envoyées');
  });

  it('is not shown once an exam date is saved: the exam notes give its convocation date', () => {
    const shown = render({ ...END, exam: d('2027-01-12') }, '2026-11-23');
    expect(shown).not.toContain('Les convocations sont envoyées');
    expect(shown).not.toContain('28/01/2027');
    expect(shown).toContain('Votre convocation doit vous être envoyée (par e-mail et/ou courrier) au plus tard le 12/12/2026.');
  });

  it('nor in the .ics file once an exam date is saved', () => {
    const ids = (input: CalendarInput) => calendarEvents(computeCalendar(input, d('2026-11-23'))).map((event) => event.id);
    expect(ids(END)).toContain('alerte-convocation');
    expect(ids({ ...END, exam: d('2027-01-12') })).not.toContain('alerte-convocation');
    expect(ids({ ...END, exam: d('2027-01-12') })).toContain('convocation');
  });
});

describe('exam notes', () => {
  it('for an exam ahead: convocation date and employer release (seed 002)', () => {
    const shown = render({ exam: d('2027-01-12') }, '2026-11-23');
    expect(shown).toContain('Votre convocation doit vous être envoyée (par e-mail et/ou courrier) au plus tard le 12/12/2026.');
    expect(shown).toContain(
      'Votre employeur est tenu de vous libérer de vos obligations professionnelles ce jour-là ; il est informé de la convocation en parallèle.',
    );
    expect(shown).not.toContain('prévenez-le');
  });

  it('for an exam ahead whose convocation date is past: « devait », and whom to contact', () => {
    const shown = render({ exam: d('2027-01-12') }, '2026-12-20');
    expect(shown).toContain(
      "Votre convocation devait vous être envoyée (par e-mail et/ou courrier) au plus tard le 12/12/2026 : si vous ne l'avez pas reçue, " +
        'contactez votre organisme de formation.',
    );
    expect(shown).not.toContain('doit vous être envoyée');
  });

  it('for a past exam: no convocation to wait for, what to do after an absence (seed 002)', () => {
    const shown = render({ exam: d('2027-01-12') }, '2027-01-20');
    expect(shown).toContain('| Examen | Mardi 12 janvier 2027 (il y a 8 jours) |');
    expect(shown).toContain("Cette date d'examen est passée.");
    expect(shown).toContain('justifiez votre absence auprès de votre employeur et de votre organisme de formation');
    expect(shown).not.toContain('doit vous être envoyée');
    expect(shown).not.toContain('devait vous être envoyée');
    expect(shown).not.toContain('prévenez-le');
  });

  it('warns when the exam is before the end of training, and says how to correct it', () => {
    const shown = render({ end: d('2026-08-31'), exam: d('2026-07-15') }, '2026-06-01');
    expect(shown).toContain(
      "⚠️ Cette date d'examen (15/07/2026) est antérieure à votre fin de formation (31/08/2026), alors que les examens ont lieu " +
        "au terme de la formation : vérifiez ces deux dates, l'une d'elles est peut-être mal saisie.",
    );
    expect(shown).toContain('`/deadline examen JJ/MM/AAAA`');
    expect(shown).not.toContain('après la limite des six mois');
  });

  it('does not warn for an exam on the last day of training or later, nor without an end date', () => {
    expect(render({ end: d('2026-08-31'), exam: d('2026-08-31') }, '2026-06-01')).not.toContain('antérieure à votre fin de formation');
    expect(render({ end: d('2026-08-31'), exam: d('2026-09-15') }, '2026-06-01')).not.toContain('antérieure à votre fin de formation');
    expect(render({ exam: d('2026-07-15') }, '2026-06-01')).not.toContain('antérieure à votre fin de formation');
  });
});

// Issue 18, point 9: warnings a person would want; the rules stay pure (`today` is a parameter).
describe('warnings a person would want', () => {
  it('never says « vous avez le temps » when the convocation is due within days', () => {
    const input = { ...END, exam: d('2027-01-12') };
    const facts = computeCalendar(input, d('2026-12-04'));
    expect(facts.next).toEqual({ what: 'convocation', date: d('2026-12-12'), daysLeft: 8 });
    expect(facts.status).toBe('bientot');
    const shown = renderCalendar(facts);
    expect(shown).not.toContain('vous avez le temps');
    expect(shown).toContain("🟠 Bientôt : votre convocation doit vous être envoyée d'ici le 12/12/2026 (dans 8 jours)");
    // Once the convocation date is past, the exam is the next step.
    expect(render(input, '2026-12-23')).toContain('🟠 Bientôt : votre examen a lieu dans 20 jours.');
    // Far from everything, it is still true.
    expect(render(input, '2026-09-15')).toContain('🟢 À venir : vous avez le temps.');
  });

  it('warns about a Pix date before the end of training, after the limit, or on a Sunday', () => {
    const before = render({ ...END, pix: d('2026-05-12') }, '2026-11-23');
    expect(before).toContain('⚠️ Cette date de certification Pix (12/05/2026) est antérieure à votre fin de formation (31/08/2026)');
    expect(before).toContain('/deadline pix JJ/MM/AAAA');
    expect(render({ ...END, pix: d('2027-03-10') }, '2026-11-23')).toContain('⚠️ Cette date de certification Pix est après la limite des six mois');
    const sunday = render({ ...END, pix: d('2026-12-13') }, '2026-11-23');
    expect(sunday).toContain('⚠️ La date de certification Pix tombe un dimanche');
    expect(render({ ...END, pix: d('2026-10-15') }, '2026-11-23')).not.toMatch(/⚠️[^\n]*Pix/);
  });

  it('warns about an end of training years in the past or years ahead (a mistyped year)', () => {
    const past = render({ end: d('2021-08-31') }, '2026-11-23');
    expect(past).toContain('| Jours restants | aucun : date limite passée depuis plus de 4 ans |');
    expect(past).toContain("⚠️ Avec une fin de formation le 31/08/2021, la date limite est passée depuis plus de 4 ans : vérifiez l'année saisie.");
    expect(past).not.toMatch(/dépassée de \d+ jours/);
    expect(render({ end: d('2029-08-31') }, '2026-11-23')).toContain('⚠️ Votre fin de formation le 31/08/2029 est dans plus de deux ans');
    // A limit passed a few weeks ago is a real situation, not a typo: the status says what to do, no « vérifiez l'année ».
    const recent = render(END, '2027-03-20');
    expect(recent).toContain('| Jours restants | aucun : date limite passée depuis 20 jours |');
    expect(recent).not.toContain("vérifiez l'année");
  });
});
