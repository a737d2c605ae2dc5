/** Lower-case, strip accents and collapse white space: the form used to compare command words typed on a phone. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits the first word off a command text: `"fiche ajouter x"` → `["fiche", "ajouter x"]`. */
export function splitFirstWord(text: string): [string, string] {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return ['', ''];
  return [match[1] ?? '', match[2] ?? ''];
}

/** A count with its noun agreed: `counted(1, 'message')` → « 1 message », `counted(3, 'fiche')` → « 3 fiches ». */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${Math.abs(count) >= 2 ? plural : singular}`;
}

/**
 * « de » before a name, elided before a vowel as French requires: « d’Organisme Exemple Nord », « d’Émeraude
 * Formation », « de Formations Sud ». (A name starting with h is left alone: mute or aspirated, the name decides.)
 */
export function ofName(name: string): string {
  return /^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(name.trim()) ? `d’${name.trim()}` : `de ${name.trim()}`;
}
