import {
  CALIBRATION_FORMAT,
  answerThreshold,
  fitLogistic,
  knowledgeFingerprint,
  probability,
  type Calibration,
  type LogisticModel,
  type PolicyLevels,
  type SetFigures,
  type ThresholdPoint,
} from './calibration.js';
import { FEATURE_NAMES, createSignals } from './evidence.js';
import { conclude, inspect, type DecisionModel, type Inspection, type Understanding } from './faq-engine.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { NONE } from './labelled-questions.js';
import type { PolicyThresholds } from './policy.js';

/**
 * `kb calibrate` and `kb eval --cv`: cross-validation grouped by labelled set. For each set of knowledge/questions/,
 * the classifier learns from all the other sets (and the entries' phrasings) and the set's questions are inspected
 * as the bot would; the decision model for that set is fitted on the other sets' inspections only. So every figure is
 * measured on questions that neither the classifier nor the decision model saw.
 */

/** Below this many labelled sets, cross-validation cannot tell anything (nor fit a model). */
export const MIN_LABELLED_SETS = 3;

/**
 * The levels of the reply policy other than the answer threshold, chosen by cross-validation on the labelled sets
 * (kb eval --cv prints what they give): a « Voir aussi » button or a tie from 0.2, closest entries offered from 0.1;
 * a small-talk kind or a known subject is recognized from an activation of 0.25 (what « bonjour », « merci » and the
 * subjects' own examples reach, when an off-topic question reaches less).
 */
export const POLICY_LEVELS: PolicyLevels = { seeAlso: 0.2, suggest: 0.1, tie: 0.15, conversation: 0.25 };

export const DEFAULT_ACCEPTED_RISK = 0.02;

export interface InspectedQuestion {
  set: string;
  question: string;
  expected: string;
  inspection: Inspection;
}

/** Every labelled question inspected by signals that did not learn from its set. */
export function inspectOutOfFold(base: KnowledgeBase, onSet?: (name: string) => void): InspectedQuestion[] {
  const inspected: InspectedQuestion[] = [];
  for (const set of base.labelledSets) {
    onSet?.(set.name);
    const signals = createSignals(base, base.labelledSets.filter((other) => other !== set));
    for (const item of set.cases) {
      inspected.push({ set: set.name, question: item.question, expected: item.expected, inspection: inspect(base, signals, item.question) });
    }
  }
  return inspected;
}

function fitOn(questions: readonly InspectedQuestion[]): LogisticModel {
  const rows = questions.flatMap((item) =>
    item.inspection.kind === 'question' ? item.inspection.candidates.map((candidate) => ({ features: candidate.features, label: candidate.entryId === item.expected ? (1 as const) : (0 as const) })) : [],
  );
  return fitLogistic(rows);
}

export interface CrossValidation {
  /** Each question with the model fitted without its set. */
  predictions: { item: InspectedQuestion; model: LogisticModel }[];
  thresholds: ThresholdPoint[];
}

export function crossValidate(inspected: readonly InspectedQuestion[]): CrossValidation {
  const sets = [...new Set(inspected.map((item) => item.set))];
  const models = new Map(sets.map((set) => [set, fitOn(inspected.filter((item) => item.set !== set))]));
  const predictions = inspected.map((item) => ({ item, model: models.get(item.set) as LogisticModel }));
  return { predictions, thresholds: riskCurve(predictions) };
}

/** Confidence levels at which the curve is measured. */
const CURVE_LEVELS = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** What answering from each confidence level would have cost, all sets pooled (the policy's other levels apart). */
function riskCurve(predictions: CrossValidation['predictions']): ThresholdPoint[] {
  const best = predictions.flatMap(({ item, model }) => {
    if (item.inspection.kind !== 'question') return [];
    const ranked = item.inspection.candidates
      .map((candidate) => ({ entryId: candidate.entryId, confidence: probability(model, candidate.features) }))
      .sort((a, b) => b.confidence - a.confidence);
    return ranked[0] ? [{ expected: item.expected, ...ranked[0] }] : [];
  });
  const inScope = predictions.filter(({ item }) => item.expected !== NONE).length;
  return CURVE_LEVELS.map((confidence) => {
    const answered = best.filter((item) => item.confidence >= confidence);
    const right = answered.filter((item) => item.entryId === item.expected).length;
    return {
      confidence,
      risk: answered.length === 0 ? 0 : round((answered.length - right) / answered.length),
      rightAnswers: inScope === 0 ? 0 : round(right / inScope),
    };
  });
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/** The figures of a labelled set from the bot's understanding of each question. */
export function tally(name: string, results: readonly { expected: string; understanding: Understanding }[]): SetFigures {
  const figures: SetFigures = { name, questions: 0, right: 0, wrong: 0, oneClick: 0, offTopic: 0, offTopicAnswered: 0, offTopicOffered: 0 };
  for (const { expected, understanding } of results) {
    const offered = offeredEntries(understanding);
    const answered = understanding.outcome === 'answered' ? understanding.entry.id : undefined;
    if (expected === NONE) {
      figures.offTopic++;
      if (answered) figures.offTopicAnswered++;
      else if (offered.length > 0) figures.offTopicOffered++;
      continue;
    }
    figures.questions++;
    if (answered === expected) figures.right++;
    else if (answered) figures.wrong++;
    if (answered === expected || offered.includes(expected)) figures.oneClick++;
  }
  return figures;
}

/** Every entry a reply puts one click away: « Voir aussi », a clarification's choices, the closest entries. */
export function offeredEntries(understanding: Understanding): string[] {
  switch (understanding.outcome) {
    case 'answered':
      return understanding.seeAlso.map((candidate) => candidate.entryId);
    case 'clarified':
      return understanding.suggestions.map((candidate) => candidate.entryId);
    case 'abstained':
      return understanding.nearby.map((candidate) => candidate.entryId);
    default:
      return [];
  }
}

export function pool(name: string, sets: readonly SetFigures[]): SetFigures {
  const total: SetFigures = { name, questions: 0, right: 0, wrong: 0, oneClick: 0, offTopic: 0, offTopicAnswered: 0, offTopicOffered: 0 };
  for (const set of sets) {
    for (const key of ['questions', 'right', 'wrong', 'oneClick', 'offTopic', 'offTopicAnswered', 'offTopicOffered'] as const) total[key] += set[key];
  }
  return total;
}

/** The cross-validated figures of each set, and pooled, with the policy the bot would run at `acceptedRisk`. */
export function crossValidatedFigures(base: KnowledgeBase, cv: CrossValidation, thresholds: PolicyThresholds): { sets: SetFigures[]; pooled: SetFigures } {
  const bySet = new Map<string, { expected: string; understanding: Understanding }[]>();
  for (const { item, model } of cv.predictions) {
    const decision: DecisionModel = { model, thresholds };
    const list = bySet.get(item.set) ?? [];
    list.push({ expected: item.expected, understanding: conclude(base, item.inspection, decision) });
    bySet.set(item.set, list);
  }
  const sets = [...bySet].map(([name, results]) => tally(name, results));
  return { sets, pooled: pool('ensemble', sets) };
}

export interface CalibrationRun {
  calibration: Calibration;
  crossValidation: CrossValidation;
}

/** The whole of `kb calibrate`: inspect out of fold, cross-validate, fit the final model on every set. */
export function calibrate(base: KnowledgeBase, options: { acceptedRisk?: number; now: Date; onSet?: (name: string) => void }): CalibrationRun {
  if (base.labelledSets.length < MIN_LABELLED_SETS) {
    throw new Error(`il faut au moins ${MIN_LABELLED_SETS} fichiers de questions étiquetées dans questions/ (trouvé : ${base.labelledSets.length})`);
  }
  const acceptedRisk = options.acceptedRisk ?? DEFAULT_ACCEPTED_RISK;
  const inspected = inspectOutOfFold(base, options.onSet);
  const cv = crossValidate(inspected);
  const thresholds: PolicyThresholds = { ...POLICY_LEVELS, answer: answerThreshold(cv.thresholds, acceptedRisk) };
  const figures = crossValidatedFigures(base, cv, thresholds);
  const calibration: Calibration = {
    format: CALIBRATION_FORMAT,
    fittedAt: options.now.toISOString(),
    knowledge: { entries: base.entries.map((entry) => entry.id), fingerprint: knowledgeFingerprint(base) },
    features: [...FEATURE_NAMES],
    model: roundModel(fitOn(inspected)),
    thresholds: cv.thresholds,
    policy: POLICY_LEVELS,
    crossValidation: { acceptedRisk, sets: figures.sets, pooled: figures.pooled },
  };
  return { calibration, crossValidation: cv };
}

/** Six significant digits are plenty and keep the file readable in a diff. */
function roundModel(model: LogisticModel): LogisticModel {
  const r = (value: number): number => Number(value.toPrecision(6));
  return { mean: model.mean.map(r), scale: model.scale.map(r), weights: model.weights.map(r), intercept: r(model.intercept) };
}
