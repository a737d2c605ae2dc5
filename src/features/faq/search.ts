import Fuse from 'fuse.js';
import type { Analyzer } from './analyzer.js';
import type { KnowledgeEntry } from './knowledge-base.js';

/**
 * The lexical retriever, the FAQ's first ranking signal (the classifier is the second; the decision is calibration.ts
 * and policy.ts).
 *
 * One fuse.js record per phrasing (title and each question), already analyzed, searched in token mode with a strict
 * per-term threshold; the best score per entry is kept. fuse.js alone would multiply scores across the values of an
 * array key (an entry with many phrasings would win just for having many), which makes a fixed threshold meaningless.
 */

export interface PhrasingRecord {
  /** Position in the list of records (arrays indexed by record). */
  index: number;
  entryId: string;
  /** Position of the entry in the base (arrays indexed by entry). */
  entryIndex: number;
  /** Analyzed terms joined by single spaces. */
  text: string;
  terms: readonly string[];
}

/** One entry the lexical retriever found, with its score: 0 is a perfect match, 1 no match. */
export interface LexicalHit {
  entryId: string;
  title: string;
  score: number;
}

export interface Retriever {
  /** Hits best first, one per entry. */
  search(terms: readonly string[], limit?: number): LexicalHit[];
  readonly recordCount: number;
}

/** Per-term Bitap threshold: 0.2 tolerates one typo in five letters and no typo in a short stem (see README). */
export const TERM_THRESHOLD = 0.2;

export function buildRecords(entries: readonly KnowledgeEntry[], analyzer: Analyzer): PhrasingRecord[] {
  const records: PhrasingRecord[] = [];
  entries.forEach((entry, entryIndex) => {
    const seen = new Set<string>();
    for (const phrasing of [entry.title, ...entry.questions]) {
      const terms = analyzer.terms(phrasing);
      const text = terms.join(' ');
      if (text === '' || seen.has(text)) continue;
      seen.add(text);
      records.push({ index: records.length, entryId: entry.id, entryIndex, text, terms });
    }
  });
  return records;
}

const splitTerms = (text: string): string[] => text.split(' ').filter((term) => term.length > 0);

/**
 * What both retrievers share: the vocabulary, each entry's terms, and the ranking of phrasing hits into entries.
 * Arrays indexed by record and by entry keep a question's cost in proportion to what it touches, on 95 entries as on
 * 5,000.
 */
function createRanker(entries: readonly KnowledgeEntry[], records: readonly PhrasingRecord[]) {
  const vocabulary = createVocabulary(records);
  const entriesByTerm = new Map<string, number[]>();
  for (const record of records) {
    for (const term of record.terms) {
      const list = entriesByTerm.get(term) ?? [];
      if (list[list.length - 1] !== record.entryIndex) list.push(record.entryIndex);
      entriesByTerm.set(term, list);
    }
  }
  // Each phrasing's term weights and their sum never change: computed once, with each term's number.
  const termIds = new Map<string, number>();
  for (const record of records) for (const term of record.terms) if (!termIds.has(term)) termIds.set(term, termIds.size);
  const recordTermIds = records.map((record) => Int32Array.from(record.terms, (term) => termIds.get(term) ?? -1));
  const recordWeights = records.map((record) => Float64Array.from(record.terms, (term) => vocabulary.weight(term)));
  const coveredTerm = new Uint8Array(termIds.size);
  // Ties are broken by entry id, compared as numbers (localeCompare on thousands of ties was the slowest part).
  const idOrder = new Int32Array(entries.length);
  entries
    .map((entry, index) => [entry.id, index] as const)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .forEach(([, index], order) => (idOrder[index] = order));
  const recordTotals = recordWeights.map((weights) => weights.reduce((sum, weight) => sum + weight, 0));
  const bestHit = new Float64Array(entries.length);
  const bestPhrasing = new Float64Array(entries.length);
  const coveredBy = new Uint32Array(entries.length);
  return {
    vocabulary,
    /**
     * Phrasing hits (the records' indices and their fuse.js token-search scores, in two parallel lists) → one
     * candidate per entry, best first.
     */
    rank(hitRecords: ArrayLike<number>, hitScores: ArrayLike<number>, terms: readonly string[], limit: number): LexicalHit[] {
      // Question terms beyond 32 (a long message) still count in the total, not in any entry's coverage.
      const weights = terms.map((term) => vocabulary.weight(term));
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      // Which vocabulary terms each question term matches (termsMatch), computed once per question: the coverage of a
      // phrasing or of an entry is then a few lookups.
      const matching = terms.map((term) => vocabulary.matching(term));
      const coveredIds: number[] = [];
      for (const set of matching) {
        for (const term of set) {
          const id = termIds.get(term);
          if (id !== undefined && !coveredTerm[id]) {
            coveredTerm[id] = 1;
            coveredIds.push(id);
          }
        }
      }
      const touched: number[] = [];
      for (let h = 0; h < hitRecords.length; h++) {
        const index = hitRecords[h] as number;
        const entryIndex = (records[index] as PhrasingRecord).entryIndex;
        if (bestHit[entryIndex] === 0) {
          touched.push(entryIndex);
          bestHit[entryIndex] = 1;
          bestPhrasing[entryIndex] = -1;
          coveredBy[entryIndex] = 0;
        }
        bestHit[entryIndex] = Math.min(bestHit[entryIndex] ?? 1, hitScores[h] as number);
        const weightsOfRecord = recordWeights[index] as Float64Array;
        const idsOfRecord = recordTermIds[index] as Int32Array;
        let share = 0;
        for (let k = 0; k < idsOfRecord.length; k++) if (coveredTerm[idsOfRecord[k] as number]) share += weightsOfRecord[k] as number;
        const totalOfRecord = recordTotals[index] ?? 0;
        bestPhrasing[entryIndex] = Math.max(bestPhrasing[entryIndex] ?? 0, totalOfRecord === 0 ? 0 : share / totalOfRecord);
      }
      matching.slice(0, 32).forEach((set, i) => {
        for (const term of set) for (const entryIndex of entriesByTerm.get(term) ?? []) if (bestHit[entryIndex] !== 0) coveredBy[entryIndex] = (coveredBy[entryIndex] ?? 0) | (1 << i);
      });
      // The best `limit` entries, kept sorted in a short list while scanning (no sort of thousands of entries).
      const best: { entryIndex: number; score: number }[] = [];
      const before = (a: { entryIndex: number; score: number }, b: { entryIndex: number; score: number }): boolean =>
        a.score < b.score || (a.score === b.score && (idOrder[a.entryIndex] ?? 0) < (idOrder[b.entryIndex] ?? 0));
      for (const entryIndex of touched) {
        let share = 0;
        const mask = coveredBy[entryIndex] ?? 0;
        for (let i = 0; i < weights.length && i < 32; i++) if (mask & (1 << i)) share += weights[i] ?? 0;
        const candidate = { entryIndex, score: combineScores(bestHit[entryIndex] ?? 1, total === 0 ? 0 : share / total, Math.max(0, bestPhrasing[entryIndex] ?? 0)) };
        if (best.length === limit && !before(candidate, best[best.length - 1] as typeof candidate)) continue;
        let at = best.length;
        while (at > 0 && before(candidate, best[at - 1] as typeof candidate)) at--;
        best.splice(at, 0, candidate);
        if (best.length > limit) best.pop();
      }
      for (const entryIndex of touched) bestHit[entryIndex] = 0;
      for (const id of coveredIds) coveredTerm[id] = 0;
      return best.map(({ entryIndex, score }) => ({ entryId: entries[entryIndex]?.id ?? '', title: entries[entryIndex]?.title ?? '', score: round(score) }));
    },
  };
}

/**
 * The reference retriever: fuse.js token search over one record per phrasing, exactly as fuse.js scores it. Simple
 * and obviously right, but it runs Bitap on every phrasing for every word (≈ 3 ms a question on 95 entries).
 */
export function createFuseRetriever(entries: readonly KnowledgeEntry[], analyzer: Analyzer): Retriever {
  const records = buildRecords(entries, analyzer);
  const fuse = new Fuse(records, {
    keys: ['text'],
    useTokenSearch: true,
    tokenMatch: 'any',
    tokenize: splitTerms,
    threshold: TERM_THRESHOLD,
    includeScore: true,
    shouldSort: false,
    // Scores measure how much of the question a phrasing covers; a long phrasing must not lose for being long.
    ignoreFieldNorm: true,
  });
  const ranker = createRanker(entries, records);
  return {
    recordCount: records.length,
    search(terms, limit = 5) {
      if (terms.length === 0) return [];
      const hits = fuse.search(terms.join(' '));
      return ranker.rank(
        hits.map((hit) => hit.item.index),
        hits.map((hit) => hit.score ?? 1),
        terms,
        limit,
      );
    },
  };
}

/**
 * The production retriever: the same records and the same fuse.js token-search formula, computed through an inverted
 * index. fuse.js does the fuzzy part on the vocabulary (each distinct term once, results cached per question word),
 * and each phrasing's score is fuse.js's: 1 − Σ idf(q)·(1 − bitap(q, phrasing)) / Σ idf(q), with idf from the
 * phrasings. Same decisions as `createFuseRetriever` on the evaluation set (a test checks it), about ten times faster.
 */
export function createIndexedRetriever(entries: readonly KnowledgeEntry[], analyzer: Analyzer): Retriever {
  const records = buildRecords(entries, analyzer);
  const postings = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const term of new Set(record.terms)) {
      const list = postings.get(term) ?? [];
      list.push(index);
      postings.set(term, list);
    }
  });
  const terms = [...postings.keys()];
  const fuzzyTerms = createFuzzyTermSearch(terms);
  const n = records.length;
  // fuse.js token search: idf of the exact query word among the phrasings (0 occurrences → the highest weight).
  const fuseIdf = (term: string): number => {
    const df = postings.get(term)?.length ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  const matchCache = new Map<string, readonly (readonly [string, number])[]>();
  const matchesOf = (word: string): readonly (readonly [string, number])[] => {
    const cached = matchCache.get(word);
    if (cached) return cached;
    const found = fuzzyTerms(word);
    if (matchCache.size >= 20_000) matchCache.clear();
    matchCache.set(word, found);
    return found;
  };
  const ranker = createRanker(entries, records);
  // Per-record scratch space, reused by every question (the bot answers one question at a time).
  const weighted = new Float64Array(records.length);
  const hitFlags = new Uint8Array(records.length);
  const seenFor = new Uint32Array(records.length);
  let stamp = 0;
  // The same questions come again and again (that is why the bot exists): the ranking of an analyzed question is
  // kept, least recently used first out. The retriever is rebuilt on every reload, and the cache with it.
  const rankedCache = new Map<string, LexicalHit[]>();
  return {
    recordCount: records.length,
    search(queryTerms, limit = 5) {
      if (queryTerms.length === 0) return [];
      const key = `${limit}|${queryTerms.join(' ')}`;
      const cached = rankedCache.get(key);
      if (cached) {
        rankedCache.delete(key);
        rankedCache.set(key, cached);
        return cached.map((candidate) => ({ ...candidate }));
      }
      const ranked = rankUncached(queryTerms, limit);
      if (rankedCache.size >= RANKED_CACHE_SIZE) rankedCache.delete(rankedCache.keys().next().value as string);
      rankedCache.set(key, ranked);
      return ranked.map((candidate) => ({ ...candidate }));
    },
  };

  function rankUncached(queryTerms: readonly string[], limit: number): LexicalHit[] {
    const idfs = queryTerms.map(fuseIdf);
    const totalIdf = idfs.reduce((sum, idf) => sum + idf, 0);
    // fuse.js's phrasing score: each question word counts once per phrasing, with the best Bitap score of the
    // vocabulary terms it matches there; matches come best first, so the first one met for a phrasing is the best.
    const touched: number[] = [];
    queryTerms.forEach((word, i) => {
      stamp++;
      const matches = [...matchesOf(word)].sort((a, b) => a[1] - b[1]);
      for (const [term, score] of matches) {
        for (const index of postings.get(term) ?? []) {
          if (seenFor[index] === stamp) continue;
          seenFor[index] = stamp;
          if (weighted[index] === 0 && !hitFlags[index]) {
            hitFlags[index] = 1;
            touched.push(index);
          }
          weighted[index] = (weighted[index] ?? 0) + (idfs[i] ?? 0) * (1 - score);
        }
      }
    });
    const hitScores = new Float64Array(touched.length);
    touched.forEach((index, h) => {
      hitScores[h] = Math.max(0.001, totalIdf > 0 ? 1 - (weighted[index] ?? 0) / totalIdf : 0);
      weighted[index] = 0;
      hitFlags[index] = 0;
    });
    return ranker.rank(touched, hitScores, queryTerms, limit);
  }
}

const TERM_FUSE_OPTIONS = { threshold: TERM_THRESHOLD, ignoreLocation: true, includeScore: true, shouldSort: false, ignoreFieldNorm: true };

/**
 * fuse.js's Bitap search of one word over the vocabulary, on the only terms that can match: with `ignoreLocation`, a
 * fuse.js score is errors ÷ word length, so a match has at most k = ⌊0.2 × length⌋ errors, and each error breaks at
 * most two of the word's letter pairs; a term sharing fewer than (distinct pairs of the word − 2k) of them cannot
 * match. Bitap then runs on a few dozen terms instead of thousands (a new word cost 0.3 ms on the real base).
 * A test checks that the results equal fuse.js's on the whole vocabulary.
 */
export function createFuzzyTermSearch(terms: readonly string[]): (word: string) => (readonly [string, number])[] {
  const everything = new Fuse([...terms], TERM_FUSE_OPTIONS);
  const byPair = new Map<string, number[]>();
  terms.forEach((term, id) => {
    for (const pair of letterPairs(term)) {
      const list = byPair.get(pair) ?? [];
      list.push(id);
      byPair.set(pair, list);
    }
  });
  return (word) => {
    const pairs = letterPairs(word);
    const needed = pairs.size - 2 * Math.floor(TERM_THRESHOLD * word.length + 1e-9);
    if (needed <= 0) return everything.search(word).map((hit) => [hit.item, hit.score ?? 1] as const);
    const shared = new Map<number, number>();
    for (const pair of pairs) for (const id of byPair.get(pair) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    const candidates = [...shared].filter(([, count]) => count >= needed).map(([id]) => terms[id] as string);
    if (candidates.length === 0) return [];
    return new Fuse(candidates, TERM_FUSE_OPTIONS).search(word).map((hit) => [hit.item, hit.score ?? 1] as const);
  };
}

function letterPairs(text: string): Set<string> {
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) pairs.add(text.slice(i, i + 2));
  return pairs;
}

/** Distinct analyzed questions whose ranking is kept (a few hundred kilobytes at most). */
const RANKED_CACHE_SIZE = 2_000;

/**
 * The score of an entry (0 best, 1 worst) from three views of the match:
 * - fuse.js's best phrasing score: how much of the question one phrasing covers (IDF-weighted, typo-tolerant);
 * - how much of the question the entry covers across all its phrasings (« délai max pour passer le ccp1 » takes
 *   « délai » and « ccp1 » from one phrasing, « max » and « passer » from others);
 * - how much of its best phrasing the question covers, which breaks the ties of the first two: « c'est quoi le DP »
 *   covers all of « dossier professionnel » and also all of « que faire si mon dossier professionnel est incomplet »,
 *   but only the first is (almost) entirely covered by the question.
 */
export const SCORING = {
  /** Share of the entry-wide question coverage in the question part (the rest is fuse.js's best phrasing score). */
  entryCoverageWeight: 0.5,
  /** How much an incompletely covered phrasing costs. */
  phrasingCoverageWeight: 0.5,
  /**
   * Weight of a word the base never uses, relative to a typical word of the base. First set to 2 on the evaluation set
   * (unknown words are what off-topic questions are made of: CAF, box, parking…); since the domain terms and the
   * out-of-scope subjects keep those away, 1 is enough, and long questions full of personal context (« mon CDD
   * s'arrête fin mars ») no longer drown their subject: 13 more right answers on the eight held-out sets, 2 more wrong,
   * still no off-topic message answered.
   */
  unknownTermFactor: 1,
  /** IDF flattening (1 = plain IDF): « ccp1 » is frequent in the base, yet tells CCP1 entries from Pix ones. */
  idfExponent: 0.5,
};

export function combineScores(fuseScore: number, questionCoverage: number, phrasingCoverageShare: number): number {
  const { entryCoverageWeight: e, phrasingCoverageWeight: p } = SCORING;
  const question = (1 - e) * (1 - fuseScore) + e * questionCoverage;
  const quality = question * (1 - p + p * phrasingCoverageShare);
  return Math.min(1, Math.max(0.001, 1 - quality));
}

interface Vocabulary {
  /** Rarity of a term in the phrasings; a word the base never uses weighs like a typical word, not like the rarest. */
  weight(term: string): number;
  /** The terms of the phrasings that match `term` (termsMatch), itself included when the base uses it. */
  matching(term: string): ReadonlySet<string>;
}

function createVocabulary(records: readonly PhrasingRecord[]): Vocabulary {
  const df = new Map<string, number>();
  for (const record of records) for (const term of new Set(record.terms)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = records.length;
  const idf = new Map([...df].map(([term, count]) => [term, Math.log(1 + (n - count + 0.5) / (count + 0.5)) ** SCORING.idfExponent]));
  const sorted = [...idf.values()].sort((a, b) => a - b);
  const typical = sorted[Math.floor(sorted.length / 2)] ?? 1;
  const terms = [...idf.keys()];
  // Question words come again and again: what each one matches is kept (bounded, cleared when full).
  const matchCache = new Map<string, ReadonlySet<string>>();
  const matching = (term: string): ReadonlySet<string> => {
    const cached = matchCache.get(term);
    if (cached) return cached;
    const found = new Set(terms.filter((known) => termsMatch(term, known)));
    if (matchCache.size >= 20_000) matchCache.clear();
    matchCache.set(term, found);
    return found;
  };
  return {
    matching,
    weight(term) {
      const exact = idf.get(term);
      if (exact !== undefined) return exact;
      let matched: number | undefined;
      for (const known of matching(term)) matched = Math.min(matched ?? Infinity, idf.get(known) ?? typical);
      return matched ?? typical * SCORING.unknownTermFactor;
    },
  };
}

/** Same stem, one is the start of the other (4 letters at least), or one letter apart (5 letters at least). */
export function termsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  if (shorter.length >= 4 && longer.startsWith(shorter)) return true;
  return shorter.length >= 5 && longer.length - shorter.length <= 1 && withinOneEdit(shorter, longer);
}

function withinOneEdit(shorter: string, longer: string): boolean {
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < shorter.length && j < longer.length) {
    if (shorter[i] === longer[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (shorter.length === longer.length) i++;
    j++;
  }
  return edits + (longer.length - j) + (shorter.length - i) <= 1;
}

/** Weighted share of the phrasing's terms that some question term matches (`covered`: every term a question term matches). */
function phrasingCoverage(phrasing: readonly string[], covered: ReadonlySet<string>, vocabulary: Vocabulary): number {
  let total = 0;
  let share = 0;
  for (const term of phrasing) {
    const weight = vocabulary.weight(term);
    total += weight;
    if (covered.has(term)) share += weight;
  }
  return total === 0 ? 0 : share / total;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
