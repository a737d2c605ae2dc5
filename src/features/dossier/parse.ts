import { foldText, splitFirstWord } from '../../core/text.js';
import { parseFormat, parseItemKey, type FicheFormat, type ItemKey } from './checklist.js';
import { FICHE_EXAMPLE, PARSE } from './texts.js';

/**
 * The text forms of `/dossier` (console, or people who prefer typing), parsed into commands. Pure: no storage here.
 *
 *   coche dp · decoche convocation
 *   fiche ajouter "Atelier smartphone" environnement: smartphone Android public: seniors groupe
 *   fiche modifier 2 public: jeunes · fiche supprimer 2 · fiche 2
 *   reset · reset confirmer · aide
 */

export interface FicheFields {
  title?: string;
  environment?: string;
  audience?: string;
  format?: FicheFormat;
}

export type DossierCommand =
  | { kind: 'show' }
  | { kind: 'help' }
  | { kind: 'tick'; item: ItemKey; done: boolean }
  | { kind: 'fiche-add'; fields: FicheFields }
  | { kind: 'fiche-edit'; number: number; fields: FicheFields }
  | { kind: 'fiche-remove'; number: number }
  | { kind: 'fiche-view'; number: number }
  | { kind: 'reset'; confirmed: boolean }
  | { kind: 'invalid'; message: string };

const KEY_PATTERN = /(?:^|\s)(environnements?(?:\s+techniques?)?|env|publics?|format|modalit[ée]s?|titre)\s*[:=]/giu;

type FieldName = 'title' | 'environment' | 'audience' | 'format';

function fieldOf(key: string): FieldName {
  const folded = foldText(key);
  if (folded.startsWith('env')) return 'environment';
  if (folded.startsWith('public')) return 'audience';
  if (folded.startsWith('titre')) return 'title';
  return 'format';
}

const QUOTE_PAIRS: readonly [string, string][] = [
  ['"', '"'],
  ['«', '»'],
  ['“', '”'],
  ['„', '“'],
  ["'", "'"],
  ['‘', '’'],
];

/** Removes one pair of surrounding quotes (straight or French) and the non-breaking spaces inside « ». */
export function unquote(text: string): string {
  const trimmed = text.trim();
  for (const [open, close] of QUOTE_PAIRS) {
    if (trimmed.length >= 2 && trimmed.startsWith(open) && trimmed.endsWith(close)) return trimmed.slice(open.length, -close.length).trim();
  }
  return trimmed.replace(/^[«"“]\s*/u, '').replace(/\s*[»"”]$/u, '').trim();
}

/** Splits a trailing « individuel » / « groupe » / « en groupe » off a value, when something else remains. */
function splitTrailingFormat(value: string): { value: string; format?: FicheFormat } {
  const words = value.trim().split(/\s+/);
  for (const size of [2, 1]) {
    if (words.length <= size) continue;
    const format = parseFormat(words.slice(-size).join(' '));
    if (format) return { value: words.slice(0, -size).join(' ').replace(/[,;]\s*$/, ''), format };
  }
  return { value: value.trim() };
}

/**
 * Parses `"Titre" environnement: … public: … [individuel|groupe]`. The title is what comes before the first label
 * (or `titre: …`); quotes are optional. Returns a French message when a label is repeated or a format is unknown.
 */
export function parseFicheFields(text: string): FicheFields | string {
  const fields: FicheFields = {};
  const matches = [...text.matchAll(KEY_PATTERN)];
  const head = (matches.length > 0 ? text.slice(0, matches[0]!.index) : text).trim();
  const seen = new Set<FieldName>();
  const put = (field: FieldName, raw: string): string | undefined => {
    if (seen.has(field)) return PARSE.fieldTwice(PARSE.fieldWords[field]);
    seen.add(field);
    if (field === 'format') {
      const format = parseFormat(unquote(raw));
      if (!format) return PARSE.unknownFormat(unquote(raw));
      fields.format = format;
      return undefined;
    }
    const value = unquote(raw);
    if (field === 'title') fields.title = value;
    else if (field === 'environment') fields.environment = value;
    else fields.audience = value;
    return undefined;
  };

  if (head !== '') {
    const problem = put('title', head);
    if (problem) return problem;
  }
  for (let index = 0; index < matches.length; index += 1) {
    const match = matches[index]!;
    const start = match.index + match[0].length;
    const end = index + 1 < matches.length ? matches[index + 1]!.index : text.length;
    let raw = text.slice(start, end).trim();
    const field = fieldOf(match[1] ?? '');
    const isLast = index === matches.length - 1;
    if (isLast && field !== 'format' && !seen.has('format')) {
      const split = splitTrailingFormat(unquote(raw));
      if (split.format) {
        raw = split.value;
        fields.format = split.format;
        seen.add('format');
      }
    }
    const problem = put(field, raw);
    if (problem) return problem;
  }
  return fields;
}

const ADD_WORDS = new Set(['ajouter', 'ajoute', 'ajout', 'add', 'nouvelle', 'nouveau', 'creer', 'cree']);
const EDIT_WORDS = new Set(['modifier', 'modifie', 'modif', 'editer', 'edite', 'changer', 'change', 'corriger']);
const REMOVE_WORDS = new Set(['supprimer', 'supprime', 'suppr', 'effacer', 'efface', 'retirer', 'retire', 'enlever', 'enleve']);

function parseNumber(word: string): number | undefined {
  const cleaned = word.replace(/^(n°|no|#)/i, '');
  if (!/^\d{1,2}$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

/** `fiche …` (the text after the word `fiche`). */
export function parseFicheCommand(text: string): DossierCommand {
  const [verb, rest] = splitFirstWord(text);
  const folded = foldText(verb);
  if (folded === '') return { kind: 'show' };
  const direct = parseNumber(folded);
  if (direct !== undefined && rest.trim() === '') return { kind: 'fiche-view', number: direct };
  if (ADD_WORDS.has(folded)) {
    if (rest.trim() === '') return { kind: 'fiche-add', fields: {} };
    const fields = parseFicheFields(rest);
    if (typeof fields === 'string') return { kind: 'invalid', message: PARSE.withExample(fields, FICHE_EXAMPLE) };
    return { kind: 'fiche-add', fields };
  }
  if (EDIT_WORDS.has(folded) || REMOVE_WORDS.has(folded)) {
    const [numberWord, fieldsText] = splitFirstWord(rest);
    const number = parseNumber(foldText(numberWord));
    const example = EDIT_WORDS.has(folded) ? PARSE.editExample : PARSE.removeExample;
    if (number === undefined) return { kind: 'invalid', message: PARSE.numberMissing(example) };
    if (REMOVE_WORDS.has(folded)) return { kind: 'fiche-remove', number };
    if (fieldsText.trim() === '') return { kind: 'fiche-edit', number, fields: {} };
    const fields = parseFicheFields(fieldsText);
    if (typeof fields === 'string') return { kind: 'invalid', message: PARSE.withExample(fields, example) };
    return { kind: 'fiche-edit', number, fields };
  }
  return { kind: 'invalid', message: PARSE.unknownFicheVerb(text.trim()) };
}

/** `coche …` / `decoche …`. */
export function parseTick(text: string, done: boolean): DossierCommand {
  const item = parseItemKey(text);
  if (item) return { kind: 'tick', item, done };
  return { kind: 'invalid', message: PARSE.unknownItem(text.trim(), done ? 'coche' : 'decoche') };
}

export function parseReset(text: string): DossierCommand {
  const folded = foldText(text);
  if (folded === '') return { kind: 'reset', confirmed: false };
  if (['confirmer', 'confirme', 'oui', 'ok'].includes(folded)) return { kind: 'reset', confirmed: true };
  return { kind: 'invalid', message: PARSE.resetHow };
}

/** The whole command text of `/dossier` (used by the console and the tests; the router splits the first word itself). */
export function parseDossierCommand(text: string): DossierCommand {
  const [first, rest] = splitFirstWord(text);
  const word = foldText(first);
  if (word === '') return { kind: 'show' };
  if (['aide', 'help', '?'].includes(word)) return { kind: 'help' };
  if (['coche', 'cocher', 'fait', 'ok'].includes(word)) return parseTick(rest, true);
  if (['decoche', 'decocher', 'annuler'].includes(word)) return parseTick(rest, false);
  if (['fiche', 'fiches'].includes(word)) return parseFicheCommand(rest);
  if (['reset', 'reinitialiser', 'effacer'].includes(word)) return parseReset(rest);
  return { kind: 'invalid', message: PARSE.unknown(text.trim()) };
}
