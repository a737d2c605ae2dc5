import type { SetFigures } from './calibration.js';
import { offeredEntries, tally } from './calibrate.js';
import type { FaqEngine } from './faq-engine.js';
import type { KnowledgeEntry } from './knowledge-base.js';
import { NONE, parseLabelledQuestions, type LabelledQuestion } from './labelled-questions.js';

/**
 * Measuring the FAQ: a labelled file against the shipped engine (`kb eval <file>`, the evaluation test) and each
 * entry's self-retrieval (`kb check`). Pure functions over an engine.
 */

export type EvalCase = LabelledQuestion;
export { NONE };

/** Accuracy bar on the questions the shipped model learned from, and the off-topic messages allowed an answer. */
export const EVAL_MIN_ACCURACY = 0.95;
export const EVAL_MAX_FALSE_ANSWERS = 0;

export const parseEvalFile = parseLabelledQuestions;

export interface EvalOutcome {
  case: EvalCase;
  outcome: string;
  /** Entry answered, or the entries offered (see also, choices, closest entries). */
  got: string | null;
  confidence: number | null;
}

export interface EvalReport {
  figures: SetFigures;
  answerable: number;
  correct: number;
  accuracy: number;
  offTopic: number;
  falseAnswers: EvalOutcome[];
  /** Answerable questions not answered with the expected entry. */
  misses: EvalOutcome[];
  /** Cases whose expected entry does not exist. */
  unknownEntries: EvalCase[];
  passed: boolean;
}

export function evaluate(engine: FaqEngine, cases: readonly EvalCase[], name = 'jeu'): EvalReport {
  const unknownEntries = cases.filter((item) => item.expected !== NONE && !engine.base.byId.has(item.expected));
  const known = cases.filter((item) => !unknownEntries.includes(item));
  const results = known.map((item) => ({ item, expected: item.expected, understanding: engine.understand(item.question) }));
  const figures = tally(name, results);
  const misses: EvalOutcome[] = [];
  const falseAnswers: EvalOutcome[] = [];
  for (const { item, understanding } of results) {
    const answered = understanding.outcome === 'answered' ? understanding.entry.id : undefined;
    const offered = offeredEntries(understanding);
    const outcome: EvalOutcome = {
      case: item,
      outcome: understanding.outcome,
      got: answered ?? (offered.length > 0 ? offered.join(',') : null),
      confidence: 'confidence' in understanding ? understanding.confidence : null,
    };
    if (item.expected === NONE) {
      if (answered) falseAnswers.push(outcome);
    } else if (answered !== item.expected) {
      misses.push(outcome);
    }
  }
  const accuracy = figures.questions === 0 ? 0 : figures.right / figures.questions;
  return {
    figures,
    answerable: figures.questions,
    correct: figures.right,
    accuracy,
    offTopic: figures.offTopic,
    falseAnswers,
    misses,
    unknownEntries,
    passed: figures.questions > 0 && accuracy >= EVAL_MIN_ACCURACY && falseAnswers.length <= EVAL_MAX_FALSE_ANSWERS && unknownEntries.length === 0,
  };
}

const percent = (value: number): string => `${(value * 100).toFixed(1).replace('.', ',')} %`;
const share = (part: number, whole: number): string => (whole === 0 ? '—' : percent(part / whole));

/** The counts of one set (or of several pooled), and nothing of its questions: what may be said of a locked set. */
export function formatFigures(figures: SetFigures): string {
  return [
    `${figures.name} — questions dans le thème : ${figures.questions}`,
    `  bonne fiche en réponse directe : ${figures.right} (${share(figures.right, figures.questions)})`,
    `  bonne fiche à un clic (réponse ou bouton) : ${figures.oneClick} (${share(figures.oneClick, figures.questions)})`,
    `  réponse directe avec une autre fiche : ${figures.wrong} (${share(figures.wrong, figures.questions)})`,
    `  messages hors sujet : ${figures.offTopic} — répondus : ${figures.offTopicAnswered} ; avec des fiches proposées : ${figures.offTopicOffered}`,
  ].join('\n');
}

export function formatEvalReport(report: EvalReport): string {
  const lines = [
    formatFigures(report.figures),
    `Seuil de ce jeu : au moins ${percent(EVAL_MIN_ACCURACY)} de bonnes réponses directes, au plus ${EVAL_MAX_FALSE_ANSWERS} message hors sujet répondu.`,
  ];
  const describe = (o: EvalOutcome): string =>
    `  ligne ${o.case.line} : « ${o.case.question} » attendu ${o.case.expected}, obtenu ${o.outcome}${o.got ? ` ${o.got}` : ''}${o.confidence !== null ? ` (confiance ${o.confidence})` : ''}`;
  if (report.misses.length > 0) lines.push('', 'Manqués :', ...report.misses.map(describe));
  if (report.falseAnswers.length > 0) lines.push('', 'Réponses à tort :', ...report.falseAnswers.map(describe));
  if (report.unknownEntries.length > 0) {
    lines.push('', 'Fiches attendues inconnues :', ...report.unknownEntries.map((c) => `  ligne ${c.line} : ${c.expected}`));
  }
  lines.push('', report.passed ? 'Évaluation réussie.' : 'Évaluation en dessous des seuils.');
  return lines.join('\n');
}

/** Share of an entry's own phrasings that must find it first (strictly ahead of every other entry). */
export const SELF_RETRIEVAL_MIN_SHARE = 0.8;

export interface SelfRetrievalProblem {
  entry: KnowledgeEntry;
  found: number;
  total: number;
  /** The phrasings that lead elsewhere, with where they lead. */
  offending: { phrasing: string; field: string; best: string | null }[];
}

/**
 * The rule: each phrasing (title and questions) is searched against the whole base by the lexical retriever; it
 * "finds" its entry when that entry comes first, strictly ahead of the second. An entry whose phrasings find it less
 * than 80 % of the time is reported, with the phrasings that lead elsewhere (usually a duplicate question or a
 * missing glossary word).
 */
export function checkSelfRetrieval(engine: FaqEngine): SelfRetrievalProblem[] {
  const { retriever, analyzer } = engine.signals;
  const problems: SelfRetrievalProblem[] = [];
  for (const entry of engine.base.entries) {
    const phrasings = [
      { phrasing: entry.title, field: 'title' },
      ...entry.questions.map((phrasing, index) => ({ phrasing, field: `questions.${index}` })),
    ];
    const offending: SelfRetrievalProblem['offending'] = [];
    for (const item of phrasings) {
      const [first, second] = retriever.search(analyzer.terms(item.phrasing), 2);
      const isFirst = first?.entryId === entry.id && (!second || second.score > first.score);
      if (!isFirst) offending.push({ ...item, best: first ? (first.entryId === entry.id ? `${entry.id} (ex aequo avec ${second?.entryId})` : first.entryId) : null });
    }
    const found = phrasings.length - offending.length;
    if (found / phrasings.length < SELF_RETRIEVAL_MIN_SHARE) problems.push({ entry, found, total: phrasings.length, offending });
  }
  return problems;
}

export function formatSelfRetrievalProblems(problems: readonly SelfRetrievalProblem[]): string[] {
  return problems.flatMap((problem) => [
    `${problem.entry.file}: ses formulations ne la trouvent en premier que ${problem.found} fois sur ${problem.total} (au moins ${Math.round(SELF_RETRIEVAL_MIN_SHARE * 100)} %)`,
    ...problem.offending.map((o) => `${problem.entry.file}: ${o.field}: « ${o.phrasing} » mène à ${o.best ?? 'aucune fiche'}`),
  ]);
}
