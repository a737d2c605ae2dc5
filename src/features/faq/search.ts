import Fuse from 'fuse.js';
import type { FaqCandidate } from '../ports.js';
import type { Analyzer } from './analyzer.js';
import type { KnowledgeEntry } from './knowledge-base.js';

/**
 * Retrieval and the decision policy.
 *
 * One fuse.js record per phrasing (title and each question), already analyzed, searched in token mode with a strict
 * per-term threshold; the best score per entry is kept. fuse.js alone would multiply scores across the values of an
 * array key (an entry with many phrasings would win just for having many), which makes a fixed threshold meaningless.
 */

export interface PhrasingRecord {
  entryId: string;
  /** Analyzed terms joined by single spaces. */
  text: string;
  terms: readonly string[];
}

export interface Retriever {
  /** Candidates best first, one per entry. */
  search(terms: readonly string[], limit?: number): FaqCandidate[];
  readonly recordCount: number;
}

/** Per-term Bitap threshold: 0.2 tolerates one typo in five letters and no typo in a short stem (see README). */
export const TERM_THRESHOLD = 0.2;

export function buildRecords(entries: readonly KnowledgeEntry[], analyzer: Analyzer): PhrasingRecord[] {
  const records: PhrasingRecord[] = [];
  for (const entry of entries) {
    const seen = new Set<string>();
    for (const phrasing of [entry.title, ...entry.questions]) {
      const terms = analyzer.terms(phrasing);
      const text = terms.join(' ');
      if (text === '' || seen.has(text)) continue;
      seen.add(text);
      records.push({ entryId: entry.id, text, terms });
    }
  }
  return records;
}

const splitTerms = (text: string): string[] => text.split(' ').filter((term) => term.length > 0);

/** What both retrievers share: the vocabulary, each entry's terms, and the ranking of phrasing hits into entries. */
function createRanker(entries: readonly KnowledgeEntry[], records: readonly PhrasingRecord[], analyzer: Analyzer, subjects: readonly string[]) {
  const titles = new Map(entries.map((entry) => [entry.id, entry.title]));
  const subjectSet = new Set(subjects);
  const titleSubjects = new Map(entries.map((entry) => [entry.id, new Set(analyzer.terms(entry.title).filter((term) => subjectSet.has(term)))]));
  const vocabulary = createVocabulary(records);
  const entryTerms = new Map<string, Set<string>>();
  for (const record of records) {
    const set = entryTerms.get(record.entryId) ?? new Set<string>();
    for (const term of record.terms) set.add(term);
    entryTerms.set(record.entryId, set);
  }
  return {
    vocabulary,
    /** Phrasing hits (record, fuse.js token-search score) → one candidate per entry, best first. */
    rank(hits: Iterable<{ record: PhrasingRecord; score: number }>, terms: readonly string[], limit: number): FaqCandidate[] {
      const weights = terms.map((term) => vocabulary.weight(term));
      const perEntry = new Map<string, { fuse: number; phrasing: number }>();
      for (const hit of hits) {
        const current = perEntry.get(hit.record.entryId) ?? { fuse: 1, phrasing: 0 };
        current.fuse = Math.min(current.fuse, hit.score);
        current.phrasing = Math.max(current.phrasing, phrasingCoverage(hit.record.terms, terms, vocabulary));
        perEntry.set(hit.record.entryId, current);
      }
      const asked = terms.filter((term) => subjectSet.has(term));
      const scored: [string, number][] = [];
      for (const [entryId, parts] of perEntry) {
        const question = questionCoverage(terms, weights, entryTerms.get(entryId) ?? new Set());
        const penalty = SCORING.subjectPenalty * missingSubjects(asked, titleSubjects.get(entryId) ?? new Set());
        scored.push([entryId, Math.min(1, combineScores(parts.fuse, question, parts.phrasing) + penalty)]);
      }
      return scored
        .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
        .slice(0, limit)
        .map(([entryId, score]) => ({ entryId, title: titles.get(entryId) ?? entryId, score: round(score) }));
    },
  };
}

/**
 * The reference retriever: fuse.js token search over one record per phrasing, exactly as fuse.js scores it. Simple
 * and obviously right, but it runs Bitap on every phrasing for every word (≈ 3 ms a question on 95 entries).
 */
export function createFuseRetriever(entries: readonly KnowledgeEntry[], analyzer: Analyzer, subjects: readonly string[] = []): Retriever {
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
  const ranker = createRanker(entries, records, analyzer, subjects);
  return {
    recordCount: records.length,
    search(terms, limit = 5) {
      if (terms.length === 0) return [];
      const hits = fuse.search(terms.join(' ')).map((hit) => ({ record: hit.item, score: hit.score ?? 1 }));
      return ranker.rank(hits, terms, limit);
    },
  };
}

/**
 * The production retriever: the same records and the same fuse.js token-search formula, computed through an inverted
 * index. fuse.js does the fuzzy part on the vocabulary (each distinct term once, results cached per question word),
 * and each phrasing's score is fuse.js's: 1 − Σ idf(q)·(1 − bitap(q, phrasing)) / Σ idf(q), with idf from the
 * phrasings. Same decisions as `createFuseRetriever` on the evaluation set (a test checks it), about ten times faster.
 */
export function createIndexedRetriever(entries: readonly KnowledgeEntry[], analyzer: Analyzer, subjects: readonly string[] = []): Retriever {
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
  const termFuse = new Fuse(terms, {
    threshold: TERM_THRESHOLD,
    ignoreLocation: true,
    includeScore: true,
    shouldSort: false,
    ignoreFieldNorm: true,
  });
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
    const found = termFuse.search(word).map((hit) => [hit.item, hit.score ?? 1] as const);
    if (matchCache.size >= 20_000) matchCache.clear();
    matchCache.set(word, found);
    return found;
  };
  const ranker = createRanker(entries, records, analyzer, subjects);
  // The same questions come again and again (that is why the bot exists): the ranking of an analyzed question is
  // kept, least recently used first out. The retriever is rebuilt on every reload, and the cache with it.
  const rankedCache = new Map<string, FaqCandidate[]>();
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

  function rankUncached(queryTerms: readonly string[], limit: number): FaqCandidate[] {
    const idfs = queryTerms.map(fuseIdf);
    const totalIdf = idfs.reduce((sum, idf) => sum + idf, 0);
    // record index → best bitap score per question word
    const best = new Map<number, number[]>();
    queryTerms.forEach((word, i) => {
      for (const [term, score] of matchesOf(word)) {
        for (const index of postings.get(term) ?? []) {
          let scores = best.get(index);
          if (!scores) {
            scores = new Array<number>(queryTerms.length).fill(1);
            best.set(index, scores);
          }
          if (score < (scores[i] ?? 1)) scores[i] = score;
        }
      }
    });
    const hits: { record: PhrasingRecord; score: number }[] = [];
    for (const [index, scores] of best) {
      let weighted = 0;
      scores.forEach((score, i) => {
        if (score < 1) weighted += (idfs[i] ?? 0) * (1 - score);
      });
      const record = records[index];
      if (record) hits.push({ record, score: Math.max(0.001, totalIdf > 0 ? 1 - weighted / totalIdf : 0) });
    }
    return ranker.rank(hits, queryTerms, limit);
  }
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
  /**
   * Added to an entry's score for each subject (glossary `subjects`: CCP1, Pix) the question names and the entry's
   * title does not, when the title names one: « pix loupé » is not about « J'ai échoué au CCP1 : … », whatever words
   * they share. Titles that name no subject speak of both and are left alone. Set on the held-out sets 1 to 6: 7 more
   * right answers, 4 fewer wrong ones.
   */
  subjectPenalty: 0.3,
};

/** How many of the subjects the question names a subject-specific title leaves out. */
function missingSubjects(asked: readonly string[], titled: ReadonlySet<string>): number {
  if (titled.size === 0) return 0;
  return asked.filter((subject) => !titled.has(subject)).length;
}

export function combineScores(fuseScore: number, questionCoverage: number, phrasingCoverageShare: number): number {
  const { entryCoverageWeight: e, phrasingCoverageWeight: p } = SCORING;
  const question = (1 - e) * (1 - fuseScore) + e * questionCoverage;
  const quality = question * (1 - p + p * phrasingCoverageShare);
  return Math.min(1, Math.max(0.001, 1 - quality));
}

interface Vocabulary {
  /** Rarity of a term in the phrasings; a word the base never uses weighs like a typical word, not like the rarest. */
  weight(term: string): number;
}

function createVocabulary(records: readonly PhrasingRecord[]): Vocabulary {
  const df = new Map<string, number>();
  for (const record of records) for (const term of new Set(record.terms)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = records.length;
  const idf = new Map([...df].map(([term, count]) => [term, Math.log(1 + (n - count + 0.5) / (count + 0.5)) ** SCORING.idfExponent]));
  const sorted = [...idf.values()].sort((a, b) => a - b);
  const typical = sorted[Math.floor(sorted.length / 2)] ?? 1;
  const terms = [...idf.keys()];
  const cache = new Map<string, number>();
  return {
    weight(term) {
      const exact = idf.get(term);
      if (exact !== undefined) return exact;
      const cached = cache.get(term);
      if (cached !== undefined) return cached;
      let matched: number | undefined;
      for (const known of terms) {
        if (termsMatch(term, known)) matched = Math.min(matched ?? Infinity, idf.get(known) ?? typical);
      }
      const weight = matched ?? typical * SCORING.unknownTermFactor;
      if (cache.size < 10_000) cache.set(term, weight);
      return weight;
    },
  };
}

/** Weighted share of the question's terms found somewhere in the entry's phrasings. */
function questionCoverage(terms: readonly string[], weights: readonly number[], entry: ReadonlySet<string>): number {
  let total = 0;
  let covered = 0;
  terms.forEach((term, index) => {
    const weight = weights[index] ?? 1;
    total += weight;
    if (entry.has(term)) covered += weight;
    else for (const known of entry) if (termsMatch(term, known)) {
      covered += weight;
      break;
    }
  });
  return total === 0 ? 0 : covered / total;
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

/** Weighted share of the phrasing's terms that some question term matches. */
export function phrasingCoverage(phrasing: readonly string[], question: readonly string[], vocabulary: Vocabulary): number {
  let total = 0;
  let covered = 0;
  for (const term of phrasing) {
    const weight = vocabulary.weight(term);
    total += weight;
    if (question.some((q) => termsMatch(q, term))) covered += weight;
  }
  return total === 0 ? 0 : covered / total;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

export interface PolicySettings {
  answerMaxScore: number;
  answerMinMargin: number;
  clarifyMaxScore: number;
  /**
   * A question that names the certification world (a glossary `domain_terms` entry) is answered up to this score:
   * off-topic messages that come close to an entry (« comment installer teams sur un pc ») name none of them.
   */
  anchoredAnswerMaxScore: number;
  /**
   * A question that names this certification itself (a glossary `certification_names` entry: CCP1, Pix, jury, DP…)
   * is answered up to this score when its best entry is ahead of the second by `namedAnswerMinMargin`: long questions
   * full of personal context land there with the right entry first and clearly ahead, while the traps that share the
   * domain's generic words (an « examen » du code, a « certification » Qualiopi) name none of these.
   */
  namedAnswerMaxScore: number;
  namedAnswerMinMargin: number;
  /**
   * Up to this score, an abstention still lists the closest entries (« ces fiches s'en approchent peut-être ») without
   * answering: independently written questions mostly land between clarifyMaxScore and here, with the right entry
   * among the three closest, while most off-topic messages score above it.
   */
  suggestMaxScore: number;
  /**
   * The same for a question that names the certification itself: it is ours even when no entry matches it well, so
   * the closest entries are worth a click further out (off-topic messages seldom name CCP1, Pix or the jury).
   */
  namedSuggestMaxScore: number;
}

export type Decision =
  | { outcome: 'answered'; entryId: string; score: number }
  | { outcome: 'clarified'; suggestions: readonly FaqCandidate[]; score: number }
  | { outcome: 'abstained'; score: number | null; nearby: readonly FaqCandidate[] };

/**
 * What a question names: nothing of ours, the certification world (`domain`: « examen », « convocation »…), or this
 * certification itself (`named`: « ccp1 », « pix », « jury »…, which also counts as the world).
 */
export type Anchor = 'none' | 'domain' | 'named';

/**
 * Answer when the best entry is good enough (fair is enough when the question names the certification world, fairer
 * still when it names the certification and the best entry is well ahead) and clearly ahead of the second; offer the
 * three closest when it is close; abstain otherwise, naming the closest entries when they are not too far.
 */
export function decide(candidates: readonly FaqCandidate[], settings: PolicySettings, anchor: Anchor = 'none'): Decision {
  const [first, second] = candidates;
  if (!first) return { outcome: 'abstained', score: null, nearby: [] };
  const margin = second ? second.score - first.score : 1;
  const answerMaxScore = anchor === 'none' ? settings.answerMaxScore : Math.max(settings.answerMaxScore, settings.anchoredAnswerMaxScore);
  const answered = { outcome: 'answered', entryId: first.entryId, score: first.score } as const;
  if (first.score <= answerMaxScore && margin >= settings.answerMinMargin - 1e-9) return answered;
  if (anchor === 'named' && first.score <= settings.namedAnswerMaxScore && margin >= settings.namedAnswerMinMargin - 1e-9) {
    return answered;
  }
  if (first.score <= settings.clarifyMaxScore) {
    return { outcome: 'clarified', suggestions: candidates.slice(0, 3), score: first.score };
  }
  // Only entries close enough themselves: a far third candidate would be noise.
  const suggestMaxScore = anchor === 'named' ? Math.max(settings.suggestMaxScore, settings.namedSuggestMaxScore) : settings.suggestMaxScore;
  return { outcome: 'abstained', score: first.score, nearby: candidates.slice(0, 3).filter((candidate) => candidate.score <= suggestMaxScore) };
}
