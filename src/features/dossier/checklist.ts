import { foldText } from '../../core/text.js';
import * as T from './texts.js';
import type { FicheFormat, ItemKey } from './texts.js';

// The wording lives in texts.ts; re-exported for the code that reads it with the rules.
export { FICHES_LABEL, FORMAT_LABELS, ITEMS, type FicheFormat, type ItemInfo, type ItemKey } from './texts.js';

/**
 * The exam file checklist (« dossier d'examen ») as pure data and functions.
 *
 * Progress counts 11 steps: the 6 tickable items, plus one step per fiche action (5 expected). A fiche counts as a
 * step when it does not clash with an EARLIER fiche (same technical environment or same public): adding a clashing
 * fiche never adds progress, and the file is complete only when the 6 items are ticked and 5 fiches all differ.
 * The checklist shows 7 lines: the 6 items and « Cinq fiches actions distinctes ».
 */

export const MAX_FICHES = 5;
export const TITLE_MAX = 100;
export const FIELD_MAX = 100;

export const ITEM_KEYS: readonly ItemKey[] = ['dp', 'evaluations', 'convocation', 'employeur', 'identite', 'pix'];

/** Words typed after `coche` / `decoche`, folded. */
const ITEM_ALIASES: Readonly<Record<string, ItemKey>> = {
  dp: 'dp',
  dossier: 'dp',
  'dossier professionnel': 'dp',
  'dossier pro': 'dp',
  evaluation: 'evaluations',
  evaluations: 'evaluations',
  eval: 'evaluations',
  evals: 'evaluations',
  ecf: 'evaluations',
  ecfs: 'evaluations',
  resultats: 'evaluations',
  convocation: 'convocation',
  convoc: 'convocation',
  employeur: 'employeur',
  patron: 'employeur',
  structure: 'employeur',
  identite: 'identite',
  cni: 'identite',
  'piece d identite': 'identite',
  'piece didentite': 'identite',
  passeport: 'identite',
  pix: 'pix',
  'profil pix': 'pix',
};

export function parseItemKey(text: string): ItemKey | undefined {
  const folded = foldText(text).replace(/[^a-z0-9]+/g, ' ').trim();
  return ITEM_ALIASES[folded];
}

export function isItemKey(value: unknown): value is ItemKey {
  return typeof value === 'string' && (ITEM_KEYS as readonly string[]).includes(value);
}


export function parseFormat(text: string): FicheFormat | undefined {
  const folded = foldText(text).replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (['individuel', 'individuelle', 'individuels', 'individuelles', 'indiv', 'seul', 'seule', 'solo'].includes(folded)) return 'individuel';
  if (['groupe', 'en groupe', 'collectif', 'collective', 'collectifs', 'collectives', 'atelier collectif'].includes(folded)) return 'collectif';
  return undefined;
}

export interface FicheDraft {
  title: string;
  environment: string;
  audience: string;
  format: FicheFormat | null;
}

export interface Fiche extends FicheDraft {
  id: number;
}

export interface DossierState {
  done: ReadonlySet<ItemKey>;
  /** In display order: fiche n is `fiches[n - 1]`. */
  fiches: readonly Fiche[];
}

/** Words that carry no meaning when comparing two environments or publics. */
const TRIVIAL_WORDS = new Set([
  'un', 'une', 'des', 'le', 'la', 'les', 'l', 'de', 'du', 'd', 'en', 'et', 'a', 'au', 'aux', 'pour', 'avec', 'sur', 'sous', 'par',
]);

/** Simple French plural folding: « seniors » → « senior », « réseaux » → « reseau », « sociaux » → « social ». */
function singular(word: string): string {
  if (word.length > 4 && word.endsWith('aux') && !word.endsWith('eaux')) return `${word.slice(0, -3)}al`;
  if (word.length > 3 && (word.endsWith('s') || word.endsWith('x'))) return word.slice(0, -1);
  return word;
}

/**
 * The comparison key of an environment or a public: case, accents, punctuation, plurals, trivial words and word
 * order folded away. « Les Séniors » and « senior » compare equal; so do « smartphone Android » and « Android, smartphones ».
 */
export function comparisonKey(text: string): string {
  const words = foldText(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((word) => word.length > 0);
  const meaningful = words.filter((word) => !TRIVIAL_WORDS.has(word));
  const kept = (meaningful.length > 0 ? meaningful : words).map(singular);
  return [...new Set(kept)].sort().join(' ');
}

export interface Clash {
  /** 1-based fiche numbers, first < second. */
  first: number;
  second: number;
  field: 'environment' | 'audience';
  /** The value as the first fiche wrote it. */
  value: string;
}

export function findClashes(fiches: readonly FicheDraft[]): Clash[] {
  const clashes: Clash[] = [];
  for (const field of ['environment', 'audience'] as const) {
    const keys = fiches.map((fiche) => comparisonKey(fiche[field]));
    for (let i = 0; i < fiches.length; i += 1) {
      for (let j = i + 1; j < fiches.length; j += 1) {
        if (keys[i] !== '' && keys[i] === keys[j]) clashes.push({ first: i + 1, second: j + 1, field, value: fiches[i]![field].trim() });
      }
    }
  }
  return clashes.sort((a, b) => a.first - b.first || a.second - b.second || (a.field === b.field ? 0 : a.field === 'environment' ? -1 : 1));
}

export function describeClash(clash: Clash): string {
  return T.describeClash(clash.first, clash.second, clash.field, clash.value);
}

/** Fiche numbers (1-based) that clash with an earlier fiche: they do not count as progress. */
function laterClashing(fiches: readonly FicheDraft[]): Set<number> {
  return new Set(findClashes(fiches).map((clash) => clash.second));
}

export interface Progress {
  done: number;
  total: number;
  /** Fiches that count (no clash with an earlier one). */
  distinctFiches: number;
  fichesComplete: boolean;
  complete: boolean;
}

export const TOTAL_STEPS = ITEM_KEYS.length + MAX_FICHES;

export function progressOf(state: DossierState): Progress {
  const later = laterClashing(state.fiches);
  const distinctFiches = Math.min(MAX_FICHES, state.fiches.filter((_, index) => !later.has(index + 1)).length);
  const items = ITEM_KEYS.filter((key) => state.done.has(key)).length;
  const fichesComplete = distinctFiches === MAX_FICHES;
  return {
    done: items + distinctFiches,
    total: TOTAL_STEPS,
    distinctFiches,
    fichesComplete,
    complete: fichesComplete && items === ITEM_KEYS.length,
  };
}

/** `▰▰▰▱▱ 6/11`: five blocks, filled in proportion (rounded down, so a full bar means everything is done). */
export function progressBar(progress: Pick<Progress, 'done' | 'total'>): string {
  const blocks = 5;
  const filled = progress.total === 0 ? blocks : Math.floor((progress.done * blocks) / progress.total);
  return `${'▰'.repeat(filled)}${'▱'.repeat(blocks - filled)} ${progress.done}/${progress.total}`;
}

/** French labels of what is still missing (reminders, `/deadline`). Empty when the file is complete. */
export function missingLabels(state: DossierState): string[] {
  const progress = progressOf(state);
  const missing: string[] = [];
  if (!state.done.has('dp')) missing.push(T.MISSING_DP);
  if (!progress.fichesComplete) missing.push(T.missingFiches(progress.distinctFiches, MAX_FICHES, findClashes(state.fiches).length > 0));
  for (const key of ITEM_KEYS) {
    if (key !== 'dp' && !state.done.has(key)) missing.push(T.ITEMS[key].label);
  }
  return missing;
}

/** Checks one fiche's fields; French messages by field (`title`, `environment`, `audience`). */
export function validateFiche(draft: { title: string; environment: string; audience: string }): Partial<Record<'title' | 'environment' | 'audience', string>> {
  const errors: Partial<Record<'title' | 'environment' | 'audience', string>> = {};
  const title = draft.title.trim();
  const environment = draft.environment.trim();
  const audience = draft.audience.trim();
  const E = T.FIELD_ERRORS;
  if (title === '') errors.title = E.titleMissing;
  else if (Array.from(title).length > TITLE_MAX) errors.title = E.titleTooLong(Array.from(title).length, TITLE_MAX);
  if (environment === '') errors.environment = E.environmentMissing;
  else if (Array.from(environment).length > FIELD_MAX) errors.environment = E.environmentTooLong(FIELD_MAX);
  if (audience === '') errors.audience = E.audienceMissing;
  else if (Array.from(audience).length > FIELD_MAX) errors.audience = E.audienceTooLong(FIELD_MAX);
  return errors;
}

/** Trims and collapses white space; the values are shown back as typed otherwise. */
export function cleanDraft(draft: FicheDraft): FicheDraft {
  const clean = (text: string) => text.replace(/\s+/g, ' ').trim();
  return { title: clean(draft.title), environment: clean(draft.environment), audience: clean(draft.audience), format: draft.format };
}
