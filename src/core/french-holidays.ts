import { getJoursFeriesAnnee } from 'jours-feries-france';

/**
 * National public holidays of metropolitan France (regional ones — Alsace-Moselle, overseas — are not included).
 * Dates are calendar days `YYYY-MM-DD`, independent of time zones. `getJoursFeriesAnnee` is used rather than
 * `getJourFerie`, which prints debug output on every call.
 */
const namesByYear = new Map<number, ReadonlyMap<string, string>>();

function holidaysOf(year: number): ReadonlyMap<string, string> {
  let names = namesByYear.get(year);
  if (!names) {
    names = new Map(getJoursFeriesAnnee(year).map((holiday) => [holiday.date.toISOString().slice(0, 10), holiday.nom]));
    namesByYear.set(year, names);
  }
  return names;
}

/** The French name of the public holiday on that calendar day (`2026-12-25` → `Noël`), or undefined. */
export function frenchPublicHolidayName(isoDay: string): string | undefined {
  const year = Number(isoDay.slice(0, 4));
  if (!Number.isInteger(year)) return undefined;
  return holidaysOf(year).get(isoDay);
}
