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
