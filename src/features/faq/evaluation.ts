import type { FaqEngine } from './faq-engine.js';
import type { KnowledgeEntry } from './knowledge-base.js';

/**
 * Measuring the FAQ: the labelled evaluation set (`kb eval`, the evaluation test) and each entry's self-retrieval
 * (`kb check`). Pure functions over an engine.
 */

export interface EvalCase {
  question: string;
  /** Entry id, or `none` for a question the FAQ must not answer. */
  expected: string;
  line: number;
}

export const NONE = 'none';

/** Accuracy bar on answerable questions and the number of off-topic questions allowed to get an answer. */
export const EVAL_MIN_ACCURACY = 0.95;
export const EVAL_MAX_FALSE_ANSWERS = 0;

/** `question<TAB>expected` with a header line; blank lines and `#` comments are skipped. */
export function parseEvalFile(content: string): { cases: EvalCase[]; problems: string[] } {
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (index === 0 && /^question\t/i.test(raw)) return;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const [question, expected, ...rest] = raw.split('\t');
    if (!question?.trim() || !expected?.trim() || rest.some((cell) => cell.trim() !== '')) {
      problems.push(`ligne ${line} : attendu « question<TAB>fiche-attendue »`);
      return;
    }
    cases.push({ question: question.trim(), expected: expected.trim(), line });
  });
  return { cases, problems };
}

export interface EvalOutcome {
  case: EvalCase;
  outcome: string;
  /** Entry answered, or the entries offered (clarification, or closest entries of an abstention). */
  got: string | null;
  score: number | null;
}

export interface EvalReport {
  answerable: number;
  correct: number;
  accuracy: number;
  /** Answerable questions that got no answer (clarified or abstained). */
  unanswered: number;
  /** Of those, how many were offered the expected entry (clarification, or closest entries): one click away. */
  offeredExpected: number;
  /** Off-topic messages that got entries offered (not answers, but noise). */
  offTopicOffered: number;
  abstentionRate: number;
  offTopic: number;
  falseAnswers: EvalOutcome[];
  /** Answerable questions not answered with the expected entry. */
  misses: EvalOutcome[];
  /** Cases whose expected entry does not exist. */
  unknownEntries: EvalCase[];
  passed: boolean;
}

export function evaluate(engine: FaqEngine, cases: readonly EvalCase[]): EvalReport {
  let answerable = 0;
  let correct = 0;
  let unanswered = 0;
  let offeredExpected = 0;
  let offTopic = 0;
  let offTopicOffered = 0;
  const misses: EvalOutcome[] = [];
  const falseAnswers: EvalOutcome[] = [];
  const unknownEntries: EvalCase[] = [];
  for (const item of cases) {
    if (item.expected !== NONE && !engine.base.byId.has(item.expected)) {
      unknownEntries.push(item);
      continue;
    }
    const result = engine.understand(item.question);
    const offered = result.outcome === 'clarified' ? result.suggestions : result.outcome === 'abstained' ? result.nearby : [];
    const got = result.outcome === 'answered' ? result.entry.id : offered.length > 0 ? offered.map((s) => s.entryId).join(',') : null;
    const outcome: EvalOutcome = { case: item, outcome: result.outcome, got, score: 'score' in result ? result.score : null };
    if (item.expected === NONE) {
      offTopic++;
      if (result.outcome === 'answered') falseAnswers.push(outcome);
      if (offered.length > 0) offTopicOffered++;
      continue;
    }
    answerable++;
    if (result.outcome === 'answered' && result.entry.id === item.expected) {
      correct++;
    } else {
      if (result.outcome !== 'answered') unanswered++;
      if (offered.some((candidate) => candidate.entryId === item.expected)) offeredExpected++;
      misses.push(outcome);
    }
  }
  const accuracy = answerable === 0 ? 0 : correct / answerable;
  return {
    answerable,
    correct,
    accuracy,
    unanswered,
    offeredExpected,
    offTopicOffered,
    abstentionRate: answerable === 0 ? 0 : unanswered / answerable,
    offTopic,
    falseAnswers,
    misses,
    unknownEntries,
    passed: answerable > 0 && accuracy >= EVAL_MIN_ACCURACY && falseAnswers.length <= EVAL_MAX_FALSE_ANSWERS && unknownEntries.length === 0,
  };
}

const percent = (value: number): string => `${(value * 100).toFixed(1).replace('.', ',')} %`;

export function formatEvalReport(report: EvalReport): string {
  const lines = [
    `Questions avec réponse attendue : ${report.answerable} — bonne fiche du premier coup : ${report.correct} (${percent(report.accuracy)}, seuil ${percent(EVAL_MIN_ACCURACY)})`,
    `Sans réponse (clarification ou abstention) : ${report.unanswered} (${percent(report.abstentionRate)}), dont ${report.offeredExpected} avec la bonne fiche parmi les fiches proposées`,
    `Questions hors sujet : ${report.offTopic} — réponses données à tort : ${report.falseAnswers.length} (au plus ${EVAL_MAX_FALSE_ANSWERS}) ; fiches proposées sans répondre : ${report.offTopicOffered}`,
  ];
  const describe = (o: EvalOutcome): string =>
    `  ligne ${o.case.line} : « ${o.case.question} » attendu ${o.case.expected}, obtenu ${o.outcome}${o.got ? ` ${o.got}` : ''}${o.score !== null ? ` (score ${o.score})` : ''}`;
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
 * The rule: each phrasing (title and questions) is searched against the whole base; it "finds" its entry when that
 * entry comes first, strictly ahead of the second. An entry whose phrasings find it less than 80 % of the time is
 * reported, with the phrasings that lead elsewhere (usually a duplicate question or a missing glossary word).
 */
export function checkSelfRetrieval(engine: FaqEngine): SelfRetrievalProblem[] {
  const problems: SelfRetrievalProblem[] = [];
  for (const entry of engine.base.entries) {
    const phrasings = [
      { phrasing: entry.title, field: 'title' },
      ...entry.questions.map((phrasing, index) => ({ phrasing, field: `questions.${index}` })),
    ];
    const offending: SelfRetrievalProblem['offending'] = [];
    for (const item of phrasings) {
      const [first, second] = engine.retriever.search(engine.analyzer.terms(item.phrasing), 2);
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
    ...problem.offending.map(
      (o) => `${problem.entry.file}: ${o.field}: « ${o.phrasing} » mène à ${o.best ?? 'aucune fiche'}`,
    ),
  ]);
}
