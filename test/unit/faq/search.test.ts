import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/features/faq/analyzer.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';
import Fuse from 'fuse.js';
import { buildRecords, combineScores, createFuseRetriever, createFuzzyTermSearch, createIndexedRetriever, TERM_THRESHOLD, termsMatch } from '../../../src/features/faq/search.js';

const base = loadKnowledge(path.resolve(import.meta.dirname, '../../fixtures/knowledge-mini'));
const analyzer = createAnalyzer(base.glossary);
const reference = createFuseRetriever(base.entries, analyzer);

describe.each([
  ['indexed', createIndexedRetriever(base.entries, analyzer)],
  ['fuse.js reference', reference],
])('retrieval (%s)', (_name, retriever) => {
  const search = (question: string) => retriever.search(analyzer.terms(question));

  it('indexes one record per distinct phrasing (title and questions)', () => {
    const records = buildRecords(base.entries, analyzer);
    const perEntry = base.entries.map((e) => records.filter((r) => r.entryId === e.id).length);
    expect(perEntry.every((n) => n >= 5 && n <= 6)).toBe(true);
    expect(retriever.recordCount).toBe(records.length);
  });

  it('keeps one candidate per entry, best first, scores between 0 and 1', () => {
    const candidates = search('qui me convoque au ccp1 ?');
    expect(candidates[0]?.entryId).toBe('convocation-examens');
    expect(new Set(candidates.map((c) => c.entryId)).size).toBe(candidates.length);
    for (const [a, b] of candidates.slice(1).map((c, i) => [candidates[i], c] as const)) expect(a?.score).toBeLessThanOrEqual(b.score);
    expect(candidates.every((c) => c.score >= 0 && c.score <= 1)).toBe(true);
  });

  it('tolerates a typo and combines words found in different phrasings of the same entry', () => {
    expect(search('convocaton examen')[0]?.entryId).toBe('convocation-examens');
    expect(search('délai maximum après la fin de formation pour la certif')[0]?.entryId).toBe('delai-six-mois');
  });

  it('scores a question made of unknown words badly, and finds nothing for words absent from the base', () => {
    expect(search('recette de la tarte tatin')).toEqual([]);
    const [best] = search('je cherche une salle pour un atelier de pix à Lille');
    expect(best?.score).toBeGreaterThan(0.5);
  });

  it('gives the same candidates and scores as the reference within 0.01', () => {
    for (const question of ['jury', 'c quoi le délai max pour passer le ccp1', 'dossier professionnel pour le jury', 'pix evalue quoi exactement']) {
      const ours = search(question);
      const theirs = reference.search(analyzer.terms(question));
      expect(ours.map((c) => c.entryId)).toEqual(theirs.map((c) => c.entryId));
      ours.forEach((c, i) => expect(Math.abs(c.score - (theirs[i]?.score ?? 9))).toBeLessThan(0.01));
    }
  });
});

describe('scoring', () => {
  it('prefers the phrasing the question covers entirely (phrasing coverage breaks ties)', () => {
    expect(combineScores(0.001, 1, 1)).toBe(0.001);
    expect(combineScores(0.001, 1, 0.5)).toBeGreaterThan(combineScores(0.001, 1, 1));
    expect(combineScores(0.5, 0.5, 1)).toBeGreaterThan(combineScores(0.2, 0.8, 1));
  });

  it('matches terms by equality, prefix (4 letters) or one edit (5 letters)', () => {
    expect(termsMatch('convoc', 'convocation')).toBe(true);
    expect(termsMatch('dossi', 'dossie')).toBe(true);
    expect(termsMatch('examen', 'exmen')).toBe(true);
    expect(termsMatch('ccp1', 'ccp2')).toBe(false);
    expect(termsMatch('pix', 'pixel')).toBe(false);
    expect(termsMatch('jury', 'juge')).toBe(false);
  });
});

describe('ranking cache of the indexed retriever', () => {
  it('gives the same ranking for a repeated question, and a caller cannot alter what is kept', () => {
    const retriever = createIndexedRetriever(base.entries, analyzer);
    const terms = analyzer.terms('qui compose le jury du ccp1');
    const first = retriever.search(terms, 3);
    expect(first.length).toBeGreaterThan(0);
    first[0]!.score = 42;
    first.pop();
    const again = retriever.search(terms, 3);
    expect(again).toEqual(createIndexedRetriever(base.entries, analyzer).search(terms, 3));
    expect(again[0]!.score).not.toBe(42);
    // Another limit is another ranking.
    expect(retriever.search(terms, 1)).toHaveLength(1);
  });
});

describe('the indexed retriever on the real base', () => {
  const real = loadKnowledge(path.resolve(import.meta.dirname, '../../../knowledge'));
  const realAnalyzer = createAnalyzer(real.glossary);
  const fast = createIndexedRetriever(real.entries, realAnalyzer);
  const slow = createFuseRetriever(real.entries, realAnalyzer);

  it('puts the same entry first as the reference (fuse.js token search on every phrasing), with the same score, on every question of faq-eval.tsv', () => {
    const questions = real.labelledSets.find((set) => set.name === 'faq-eval.tsv')?.cases.map((item) => item.question) ?? [];
    expect(questions.length).toBeGreaterThan(100);
    const differences = questions
      .map((question) => {
        const terms = realAnalyzer.terms(question);
        const [a] = fast.search(terms, 1);
        const [b] = slow.search(terms, 1);
        return { question, fast: a?.entryId, slow: b?.entryId, gap: Math.abs((a?.score ?? 1) - (b?.score ?? 1)) };
      })
      .filter((row) => row.fast !== row.slow || row.gap >= 0.01);
    expect(differences).toEqual([]);
  });
});

describe('the fuzzy search of one word over the vocabulary', () => {
  const real = loadKnowledge(path.resolve(import.meta.dirname, '../../../knowledge'));
  const vocabulary = [...new Set(buildRecords(real.entries, createAnalyzer(real.glossary)).flatMap((record) => record.terms))];
  const filtered = createFuzzyTermSearch(vocabulary);
  const plain = new Fuse(vocabulary, { threshold: TERM_THRESHOLD, ignoreLocation: true, includeScore: true, shouldSort: false, ignoreFieldNorm: true });
  const sorted = (hits: readonly (readonly [string, number])[]) => hits.map(([term, score]) => `${term}:${score}`).sort();

  it('finds exactly what fuse.js finds on the whole vocabulary, for every term of the base and typos of them', () => {
    // Each term, then the same term with a letter dropped, doubled, replaced, and two letters swapped.
    const typos = vocabulary.flatMap((term) => {
      const middle = Math.floor(term.length / 2);
      return [
        term,
        term.slice(0, middle) + term.slice(middle + 1),
        term.slice(0, middle) + term[middle] + term.slice(middle),
        `${term.slice(0, middle)}x${term.slice(middle + 1)}`,
        term.length > 2 ? term.slice(0, middle - 1) + (term[middle] ?? '') + (term[middle - 1] ?? '') + term.slice(middle + 1) : term,
        `${term}s`,
      ];
    });
    expect(typos.length).toBeGreaterThan(5_000);
    const differences = typos.filter((word) => sorted(filtered(word)).join(' ') !== sorted(plain.search(word).map((hit) => [hit.item, hit.score ?? 1] as const)).join(' '));
    expect(differences).toEqual([]);
  });
});
