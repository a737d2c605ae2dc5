import { createAnalyzer, wordsOf, type Analyzer } from './analyzer.js';
import { outOfScopeLabel, parseLabel, smallTalkLabel, trainClassifier, type Classifier, type ClassScore, type KindShares, type TrainingText } from './classifier.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { NONE, type LabelledSet } from './labelled-questions.js';
import { buildRecords, createIndexedRetriever, type LexicalHit, type Retriever } from './search.js';

/**
 * What the FAQ knows about a question before deciding: the two ranking signals (the lexical retriever, strong on typos,
 * abbreviations and the glossary; the classifier, trained on labelled questions) and a few facts about the question,
 * turned into one feature vector per candidate entry for the decision model (calibration.ts).
 */

export interface QuestionEvidence {
  /** Analyzer terms (retrieval); empty when the message has no word the base could use. */
  terms: string[];
  lexical: LexicalHit[];
  classes: ClassScore[];
  strength: number;
  kindShares: KindShares;
  namesCertification: boolean;
  namesDomain: boolean;
  /** Share of the question's terms that no phrasing of the base uses. */
  unknownShare: number;
  /** The certifications (glossary `subjects`: CCP1, Pix) the question names. */
  subjects: string[];
}

export interface CandidateEvidence {
  entryId: string;
  /** In FEATURE_NAMES order. */
  features: number[];
}

/**
 * The decision model's inputs, per candidate entry. Changing this list (or a feature's meaning) makes every
 * calibration file stale: kb check then asks for `kb calibrate`.
 */
export const FEATURE_NAMES = [
  'lexical.match', // 1 − the retriever's score (0 when the entry is not among its results)
  'lexical.first', // the retriever ranks it first
  'lexical.lead', // first: its lead over the second; otherwise minus its gap to the first
  'lexical.rank', // 1 / (1 + rank), 0 when absent
  'classifier.share', // the classifier's share for this entry
  'classifier.first', // the classifier ranks it first among entries
  'classifier.lead', // first: its lead over the second entry; otherwise minus its gap to the first
  'classifier.rank', // 1 / (1 + rank among entries), 0 when absent
  'agree', // both signals rank it first
  'subject.missing', // certifications the question names that the entry's title, naming another, does not (« pix loupé » vs « échoué au CCP1 »)
  'classifier.activation', // the classifier's raw activation for this entry (a share of 1 may be a faint signal)
  'question.small-talk', // the classifier's share for the small-talk classes
  'question.out-of-scope-subject', // its share for the known out-of-scope subjects (congés, autres examens…)
  'question.off-topic', // its share for the generic off-topic class
  'question.strength', // the strongest activation of any class: how much the classifier recognizes at all
  'question.length', // log(1 + number of terms)
  'question.unknown', // share of terms the base never uses
  'question.names-certification', // glossary certification_names (CCP1, Pix, jury, DP…)
  'question.names-domain', // glossary domain_terms (examen, convocation…)
] as const;

/** How many results of each signal become candidates. */
const CANDIDATES_PER_SIGNAL = 5;
/** How deep the retriever ranks (a candidate from the classifier still gets its lexical rank when it has one). */
const LEXICAL_DEPTH = 10;

export interface Signals {
  analyzer: Analyzer;
  retriever: Retriever;
  classifier: Classifier;
  /** The certifications each entry's title names (empty: the entry speaks of both). */
  titleSubjects: ReadonlyMap<string, ReadonlySet<string>>;
  /** The whole evidence of a message already split by `wordsOf`. */
  gather(words: readonly string[]): QuestionEvidence;
}

/**
 * What the classifier reads: the analyzer's terms, then the stop words of the message marked `~` (« ~bonjour »,
 * « ~merci »): they tell a greeting from a question, while pairs are made of terms only. Cross-validation preferred
 * this to the terms alone (small talk has no terms) and to every word alike (stop words drowned the entries' words:
 * 87 % of the right entries first instead of 93 %).
 */
export function classifierTokens(analyzer: Analyzer, words: readonly string[]): string[] {
  const terms = analyzer.termsOfWords(words);
  const known = new Set(terms);
  return [...terms, ...analyzer.tokensOfWords(words).filter((token) => !known.has(token)).map((token) => `${STOP_WORD_MARK}${token}`)];
}

/** A stop-word token's mark; terms are letters and digits only, so it never collides. */
export const STOP_WORD_MARK = '~';

/**
 * How many times each small-talk and out-of-scope example is read per epoch. The labelled sets hold hundreds of
 * off-topic messages (greetings among them) for the generic off-topic class; read once, the few examples of each
 * small-talk kind and subject lost to it, and « bonjour » got the generic abstention instead of a greeting.
 */
export const CONVERSATION_WEIGHT = 4;

const repeat = <T>(times: number, items: readonly T[]): T[] => Array.from({ length: times }, () => items).flat();

/** The classifier's training texts: the entries' titles and phrasings, the conversation data, and labelled questions. */
export function trainingTexts(base: KnowledgeBase, analyzer: Analyzer, sets: readonly LabelledSet[]): TrainingText[] {
  const text = (value: string, label: string): TrainingText => ({ tokens: classifierTokens(analyzer, wordsOf(value)), label });
  return [
    ...base.entries.flatMap((entry) => [entry.title, ...entry.questions].map((phrasing) => text(phrasing, entry.id))),
    ...repeat(CONVERSATION_WEIGHT, base.smallTalk.flatMap((kind) => kind.examples.map((example) => text(example, smallTalkLabel(kind.id))))),
    ...repeat(CONVERSATION_WEIGHT, base.outOfScope.flatMap((subject) => subject.examples.map((example) => text(example, outOfScopeLabel(subject.id))))),
    ...sets.flatMap((set) => set.cases.map((item) => text(item.question, item.expected === NONE ? outOfScopeLabel() : item.expected))),
  ];
}

/** Both signals over a base; the classifier learns from `sets` (all of knowledge/questions/ but in cross-validation). */
export function createSignals(base: KnowledgeBase, sets: readonly LabelledSet[] = base.labelledSets): Signals {
  const analyzer = createAnalyzer(base.glossary);
  const subjects = new Set((base.glossary.subjects ?? []).flatMap((subject) => analyzer.terms(subject)));
  const retriever = createIndexedRetriever(base.entries, analyzer);
  const titleSubjects = new Map(base.entries.map((entry) => [entry.id, new Set(analyzer.terms(entry.title).filter((term) => subjects.has(term)))]));
  const classifier = trainClassifier(trainingTexts(base, analyzer, sets));
  const vocabulary = new Set(buildRecords(base.entries, analyzer).flatMap((record) => record.terms));
  const namesCertification = createTermMatcher(analyzer, base.glossary.certificationNames ?? []);
  const namesDomain = createTermMatcher(analyzer, base.glossary.domainTerms ?? []);
  return {
    analyzer,
    retriever,
    classifier,
    titleSubjects,
    gather(words) {
      const terms = analyzer.termsOfWords(words);
      const { scores, strength, kindShares } = classifier.classify(classifierTokens(analyzer, words));
      return {
        terms,
        lexical: terms.length > 0 ? retriever.search(terms, LEXICAL_DEPTH) : [],
        classes: scores,
        strength,
        kindShares,
        namesCertification: namesCertification(terms),
        namesDomain: namesDomain(terms),
        unknownShare: terms.length === 0 ? 1 : terms.filter((term) => !vocabulary.has(term)).length / terms.length,
        subjects: terms.filter((term) => subjects.has(term)),
      };
    },
  };
}

/**
 * Whether a question's terms name one of the glossary's terms. Each is analyzed like the question, and a multi-word
 * term is named only when all its words are there (« fiche action » → fich + action: « action » alone is not).
 */
export function createTermMatcher(analyzer: Analyzer, glossaryTerms: readonly string[]): (terms: readonly string[]) => boolean {
  const required = glossaryTerms.map((term) => analyzer.terms(term)).filter((terms) => terms.length > 0);
  return (terms) => {
    const present = new Set(terms);
    return required.some((words) => words.every((word) => present.has(word)));
  };
}

/** The entries either signal puts forward, each with its feature vector. */
export function candidatesOf(evidence: QuestionEvidence, titleSubjects: Signals['titleSubjects']): CandidateEvidence[] {
  const entryScores = evidence.classes.filter((score) => parseLabel(score.label).kind === 'entry');
  const { smallTalk, subject, offTopic } = evidence.kindShares;
  const ids = [
    ...new Set([
      ...evidence.lexical.slice(0, CANDIDATES_PER_SIGNAL).map((hit) => hit.entryId),
      ...entryScores.slice(0, CANDIDATES_PER_SIGNAL).map((score) => score.label),
    ]),
  ];
  const lexicalBest = evidence.lexical[0]?.score ?? 1;
  const lexicalSecond = evidence.lexical[1]?.score ?? 1;
  const shareBest = entryScores[0]?.share ?? 0;
  const shareSecond = entryScores[1]?.share ?? 0;
  const questionFeatures = [
    smallTalk,
    subject,
    offTopic,
    evidence.strength,
    Math.log1p(evidence.terms.length),
    evidence.unknownShare,
    evidence.namesCertification ? 1 : 0,
    evidence.namesDomain ? 1 : 0,
  ];
  const classRanks = new Map(entryScores.map((score, rank) => [score.label, rank]));
  return ids.map((entryId) => {
    const lexicalRank = evidence.lexical.findIndex((hit) => hit.entryId === entryId);
    const classRank = classRanks.get(entryId) ?? -1;
    const lexicalScore = lexicalRank >= 0 ? (evidence.lexical[lexicalRank]?.score ?? 1) : 1;
    const classScore = classRank >= 0 ? entryScores[classRank] : undefined;
    const share = classScore?.share ?? 0;
    const lexicalFirst = lexicalRank === 0;
    const classifierFirst = classRank === 0;
    return {
      entryId,
      features: [
        1 - lexicalScore,
        lexicalFirst ? 1 : 0,
        lexicalFirst ? lexicalSecond - lexicalScore : lexicalBest - lexicalScore,
        lexicalRank >= 0 ? 1 / (1 + lexicalRank) : 0,
        share,
        classifierFirst ? 1 : 0,
        classifierFirst ? share - shareSecond : share - shareBest,
        classRank >= 0 ? 1 / (1 + classRank) : 0,
        lexicalFirst && classifierFirst ? 1 : 0,
        missingSubjects(evidence.subjects, titleSubjects.get(entryId)),
        classScore?.activation ?? 0,
        ...questionFeatures,
      ],
    };
  });
}

/** How many of the certifications the question names a title that names another one leaves out. */
function missingSubjects(asked: readonly string[], titled: ReadonlySet<string> | undefined): number {
  if (!titled || titled.size === 0) return 0;
  return asked.filter((subject) => !titled.has(subject)).length;
}
