import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createAnalyzer } from '../../../src/features/faq/analyzer.js';
import { createDomainMatcher, createFaqEngine } from '../../../src/features/faq/faq-engine.js';
import { replyFor } from '../../../src/features/faq/faq-replies.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';
import { buildRecords, combineScores, createFuseRetriever, createIndexedRetriever, termsMatch } from '../../../src/features/faq/search.js';

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

describe('domain terms (knowledge/glossary.yaml): a fairer match is answered when the question names the certification world', () => {
  const real = loadKnowledge(path.resolve(import.meta.dirname, '../../../knowledge'));
  const settings = loadConfig({}).faq;
  const question = 'combien de personnes dans le jury qui va m’ecouter, ça me stresse';

  it('answers on a fair score with a domain term, clarifies the same question without the glossary list', () => {
    const withTerms = createFaqEngine(real, settings).understand(question);
    expect(withTerms).toMatchObject({ outcome: 'answered', entry: { id: 'jury-composition' } });
    expect(withTerms.outcome === 'answered' && withTerms.score).toBeGreaterThan(settings.answerMaxScore);
    const withoutTerms = createFaqEngine({ ...real, glossary: { ...real.glossary, domainTerms: [], certificationNames: [] } }, settings).understand(question);
    expect(withoutTerms.outcome).toBe('clarified');
  });

  it('answers a fairer match still when the question names the certification (« DP », « jury ») and one entry leads clearly', () => {
    const named = 'mon DP fait 12 pages, c’est assez pour le jury ?';
    const withNames = createFaqEngine(real, settings).understand(named);
    expect(withNames).toMatchObject({ outcome: 'answered', entry: { id: 'dp-longueur' } });
    expect(withNames.outcome === 'answered' && withNames.score).toBeGreaterThan(settings.anchoredAnswerMaxScore);
    const withoutNames = createFaqEngine({ ...real, glossary: { ...real.glossary, certificationNames: [] } }, settings).understand(named);
    expect(withoutNames).toMatchObject({ outcome: 'abstained', nearby: [{ entryId: 'dp-longueur' }] });
  });

  it('moves back an entry whose title names another certification than the question (glossary subjects)', () => {
    const withSubjects = createFaqEngine(real, settings);
    const withoutSubjects = createFaqEngine({ ...real, glossary: { ...real.glossary, subjects: [] } }, settings);
    const aboutPix = 'j’ai loupé le pix, quelles conséquences ?';
    // Without the rule, the CCP1 entry « J'ai échoué au CCP1 : est-ce que je perds mon poste ? » answered it.
    expect(withoutSubjects.understand(aboutPix)).toMatchObject({ outcome: 'answered', entry: { id: 'echec-consequences' } });
    const candidatesOf = (question: string) => {
      const understood = withSubjects.understand(question);
      return 'candidates' in understood ? understood.candidates.map((c) => c.entryId) : [];
    };
    expect(withSubjects.understand(aboutPix).outcome).not.toBe('answered');
    expect(candidatesOf(aboutPix)[0]).toBe('pix-echec');
    const aboutCcp1 = 'ccp1 faisable depuis la maison ?';
    expect(withoutSubjects.understand(aboutCcp1)).toMatchObject({ outcome: 'answered', entry: { id: 'distanciel-pix' } });
    expect(candidatesOf(aboutCcp1)).not.toContain('distanciel-pix');
    // An entry whose title names the question's certification is not moved back.
    expect(withSubjects.understand('le pix dure combien d’heures ?')).toMatchObject({ outcome: 'answered', entry: { id: 'pix-duree' } });
  });

  it('never answers a single everyday word for the user: it offers the closest entries, in a sentence that fits their number', () => {
    const engine = createFaqEngine(real, settings);
    const late = engine.understand('je suis en retard');
    expect(late).toMatchObject({ outcome: 'clarified', suggestions: [{ entryId: 'convocation-tardive' }, expect.anything(), expect.anything()] });
    const cpf = engine.understand('cpf ?');
    expect(cpf).toMatchObject({ outcome: 'clarified', suggestions: [{ entryId: 'cpf-titre' }] });
    expect(replyFor(cpf, undefined, real, false).text).toBe('Est-ce cette fiche qui vous intéresse ?');
    expect(replyFor(late, undefined, real, false).text).toMatch(/plusieurs fiches/);
    // A single word that names the certification world follows the normal policy.
    expect(engine.understand('c’est quoi le DP ?')).toMatchObject({ outcome: 'answered', entry: { id: 'dossier-professionnel' } });
  });

  it('says another exam is not its subject, even with « examen » in it, and still answers when the question names ours', () => {
    const engine = createFaqEngine(real, settings);
    expect(engine.understand('une usagère a raté son examen du code, elle le repasse quand ?')).toMatchObject({
      outcome: 'abstained',
      outOfScope: { id: 'autres-examens' },
    });
    expect(engine.understand('mon ccp1 raté, je le repasse quand ?')).toMatchObject({ outcome: 'answered', entry: { id: 'echec-repasser' } });
  });

  it('needs every word of a multi-word term, after abbreviations and synonyms: « action » alone is not « fiche action »', () => {
    const realAnalyzer = createAnalyzer(real.glossary);
    const names = createDomainMatcher(realAnalyzer, ['fiche action', 'convocation']);
    const asked = (text: string) => names(realAnalyzer.terms(text));
    expect(asked('il me manque une fiche action')).toBe(true);
    expect(asked('une action de sensibilisation à la mairie')).toBe(false);
    expect(asked('toujours pas recu ma convoc')).toBe(true);
    expect(asked('bonjour à tous')).toBe(false);
    expect(createDomainMatcher(realAnalyzer, [])(realAnalyzer.terms('ccp1'))).toBe(false);
  });
});
