import { foldText } from '../../core/text.js';

/**
 * The French analyzer: turns a question as typed on a phone (« C'est quand l'épreuve du CCP 1 ?? ») into the terms the
 * search compares (`quand epreuv ccp1`). The same function analyzes the entries' phrasings and the user's question,
 * so both sides always agree.
 *
 * Steps: Unicode normalization → lower case, no accents → French typography (’ → ') → elisions (l', d', qu'…) →
 * words → glossary phrases (abbreviations expanded, synonyms mapped to their canonical form) → curated stop words →
 * light stemming → duplicates removed.
 */

export interface Glossary {
  /** `dp` → `dossier professionnel`: keys lower-case without accents (one or more words). */
  abbreviations: Readonly<Record<string, string>>;
  /** `[canonical, variant, …]`: every variant is replaced by the canonical form. */
  synonyms: readonly (readonly string[])[];
  /** Words or phrases that only the certification world uses (« ccp1 », « jury », « fiche action »): an input of the decision model. */
  domainTerms?: readonly string[];
  /**
   * The domain terms that name this certification itself (« ccp1 », « pix », « jury », « dossier professionnel »), not
   * words other exams share (« examen », « convocation »): an input of the decision model.
   */
  certificationNames?: readonly string[];
  /** The certifications an entry can be about (« ccp1 », « pix »): see the `subject.missing` feature (evidence.ts). */
  subjects?: readonly string[];
}

export const EMPTY_GLOSSARY: Glossary = { abbreviations: {}, synonyms: [], domainTerms: [], certificationNames: [], subjects: [] };

/**
 * Curated French stop words. Generic lists also drop « pas », « plus », « quand », « combien », « qui », « avant »,
 * « apres », « sans »… which carry meaning here (a deadline, a person to ask, a negation, a count): those are kept on
 * purpose (« qui me convoque » asks for someone, « quand suis-je convoqué » for a date).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a au aux avec ce ces cet cette ceci cela ca c ci d de des du en et est es etre suis sont sommes etes il ils elle elles ' +
    'je j tu t te toi on nous vous me m moi se s sa son ses leur leurs lui y l la le les un une uns unes ma mon mes ta ton tes ' +
    'notre nos votre vos qu que quoi quel quelle quels quelles lequel laquelle dont ou par pour sur dans sous ' +
    'ai as avons avez ont avoir eu fait faire faut falloir peut peux pouvons pouvez peuvent pouvoir dois doit devons ' +
    'devez doivent devoir veux veut voudrais voudrait vouloir sais savoir savez est-ce estce ' +
    'comment alors donc or ni mais si bien tres trop aussi meme deja encore ici la-bas voila svp stp merci bonjour salut ' +
    'hello coucou question questions bot certif-bot certifbot svp please exemple chose choses truc trucs genre ' +
    'n ne non oui ok okay bon quelqu quelqu-un quelqun quelque quelques tout tous toute toutes autre autres ' +
    'cela celui celle ceux celles ça h ' +
    // Hearsay and chat fillers: « il paraît que », « on m'a dit », « j'ai vu / lu », « c'est vrai ? ».
    'parait paraitrait dit dis disent vu vue lu lue entendu vrai vraiment exactement juste normal ' +
    // Months: a date's meaning is in the words around it (« fini le 31 août, jusqu'à quand ? »).
    'janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre'
  ).split(/\s+/),
);

/** Words glued to the next word by an apostrophe: « l'examen », « qu'est-ce », « jusqu'à ». */
const ELISION = /\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'(?=\p{L})/gu;

/** foldText (lower case, no accents, spaces collapsed), plus typographic apostrophes and dashes unified, ligatures expanded. */
export function foldFrench(text: string): string {
  return foldText(text)
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/[‐‑‒–—]/g, '-');
}

/**
 * « blocs 2 et 3 », « ccp2/3 », « ccp 1, 2 ou 3 »: one number list after a CCP or a bloc. A number followed by a unit
 * is a count, not a bloc (« le ccp1 et 2 jours après »).
 */
const NUMBERED_LIST =
  /\b(ccps?|blocs?|cp)\s?([1-3])((?:\s*(?:\/|,|&|-|\bet\b|\bou\b)\s*[1-3]\b(?!\s*(?:jours?|fois|mois|semaines?|ans?|annees?|heures?|h|minutes?|mn|min|fiches?|pages?|ateliers?|personnes?)\b))+)/g;

/** Spells each number of such a list out with its prefix (« bloc2 bloc3 »), so that none of them is lost. */
function expandNumberedLists(folded: string): string {
  return folded.replace(NUMBERED_LIST, (_match, prefix: string, first: string, rest: string) => {
    const name = prefix.startsWith('bloc') ? 'bloc' : 'ccp';
    const numbers = [first, ...(rest.match(/[1-3]/g) ?? [])];
    return numbers.map((n) => `${name}${n}`).join(' ');
  });
}

/**
 * Words of a folded text, elisions removed; `ccp 1` is glued into `ccp1` (people type it both ways), and a list of
 * numbers after a CCP or a bloc gives one word per number (« blocs 2 et 3 » → « bloc2 bloc3 »).
 */
export function wordsOf(text: string): string[] {
  const folded = expandNumberedLists(foldFrench(text).replace(ELISION, ' '));
  const raw = folded.match(/[a-z0-9]+/g) ?? [];
  const words: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i] as string;
    const next = raw[i + 1];
    if ((word === 'ccp' || word === 'bloc' || word === 'cp') && next !== undefined && /^[1-3]$/.test(next)) {
      words.push(`${word === 'bloc' ? 'bloc' : 'ccp'}${next}`);
      i++;
      continue;
    }
    words.push(word);
  }
  return words;
}

/** Derivational and inflectional endings removed after the plural mark, never leaving fewer than four letters. */
const SUFFIXES: readonly (readonly [string, string, number])[] = [
  // Derivational endings need a longer remainder: « formation » must not become « form » (formateur, formulaire).
  ['issement', '', 5],
  ['ication', 'i', 5],
  ['ation', '', 5],
  ['ement', '', 5],
  ['ment', '', 5],
  ['elle', 'el', 4],
  ['enne', 'en', 4],
  ['euse', 'eur', 4],
  ['ee', '', 4],
  ['er', '', 4],
  ['ez', '', 4],
  ['e', '', 4],
];

const MIN_STEM = 4;

/**
 * A light French stemmer. Snowball over-stems this vocabulary (« délai » → « del », « formation » → « format »), and
 * the search already tolerates a missing ending or one letter of difference (a query term matches inside a longer
 * word), so removing the usual inflections is enough: « inscrits / inscrites / inscrit » → « inscrit »,
 * « convoquée / convoquer » → « convoqu », « dossiers » → « dossi ».
 */
export function stemFrench(word: string): string {
  if (word.length <= MIN_STEM || /\d/.test(word)) return word;
  let stem = word;
  if (/[sx]$/.test(stem) && !/(?:ss|us)$/.test(stem)) stem = stem.slice(0, -1);
  for (const [suffix, replacement, minRemainder] of SUFFIXES) {
    if (stem.endsWith(suffix)) {
      const shorter = stem.slice(0, stem.length - suffix.length) + replacement;
      if (shorter.length >= minRemainder) return shorter;
    }
  }
  return stem;
}

/** A glossary compiled for fast phrase replacement: first word → phrases starting with it, longest first. */
export interface CompiledGlossary {
  phrases: ReadonlyMap<string, readonly { words: readonly string[]; replacement: readonly string[] }[]>;
}

export function compileGlossary(glossary: Glossary): CompiledGlossary {
  const phrases = new Map<string, { words: string[]; replacement: string[] }[]>();
  const add = (from: string, to: string): void => {
    const words = wordsOf(from);
    const replacement = wordsOf(to);
    const first = words[0];
    if (first === undefined || replacement.length === 0) return;
    if (words.length === replacement.length && words.every((word, i) => word === replacement[i])) return;
    const list = phrases.get(first) ?? [];
    list.push({ words, replacement });
    phrases.set(first, list);
  };
  for (const [key, expansion] of Object.entries(glossary.abbreviations)) add(key, expansion);
  for (const group of glossary.synonyms) {
    const [canonical, ...variants] = group;
    if (canonical === undefined) continue;
    for (const variant of variants) add(variant, canonical);
  }
  for (const list of phrases.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { phrases };
}

function applyGlossary(words: readonly string[], glossary: CompiledGlossary): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const candidates = glossary.phrases.get(words[i] as string);
    const hit = candidates?.find((phrase) => phrase.words.every((word, k) => words[i + k] === word));
    if (hit) {
      out.push(...hit.replacement);
      i += hit.words.length;
    } else {
      out.push(words[i] as string);
      i++;
    }
  }
  return out;
}

export interface Analyzer {
  /** The terms of a text, in order, without duplicates. */
  terms(text: string): string[];
  /** The same from words already split by `wordsOf` (the FAQ engine splits a question once). */
  termsOfWords(words: readonly string[]): string[];
  /**
   * The classifier's view of the same words: stop words kept (« bonjour », « merci », « quand » tell a greeting from a
   * question), otherwise the same terms.
   */
  tokensOfWords(words: readonly string[]): string[];
}

export function createAnalyzer(glossary: Glossary = EMPTY_GLOSSARY): Analyzer {
  const compiled = compileGlossary(glossary);
  const analyze = (words: readonly string[], keepStopWords: boolean): string[] => {
    const expanded = applyGlossary(words, compiled);
    const terms: string[] = [];
    const seen = new Set<string>();
    for (const word of expanded) {
      if (!keepStopWords && STOP_WORDS.has(word)) continue;
      // Single letters carry nothing once elisions are gone; small numbers are days, hours or counts
      // (« le 31 août », « 2 infos ») whose meaning is in the words around them.
      if (word.length < 2 || /^\d{1,2}$/.test(word)) continue;
      const term = stemFrench(word);
      if (seen.has(term)) continue;
      seen.add(term);
      terms.push(term);
    }
    return terms;
  };
  const termsOfWords = (words: readonly string[]): string[] => analyze(words, false);
  return { terms: (text) => termsOfWords(wordsOf(text)), termsOfWords, tokensOfWords: (words) => analyze(words, true) };
}
