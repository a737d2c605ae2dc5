import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Matrix, solve } from 'ml-matrix';
import { z } from 'zod';
import { CLASSIFIER_SETTINGS } from './classifier.js';
import { CONVERSATION_WEIGHT, FEATURE_NAMES } from './evidence.js';
import type { KnowledgeBase } from './knowledge-base.js';

/**
 * The decision model: one logistic regression that turns a candidate entry's features (evidence.ts) into the
 * probability that this entry answers the question. `certif-bot kb calibrate` fits it on the labelled questions by
 * cross-validation (calibrate.ts) and writes knowledge/faq-calibration.json, which the bot loads and `kb check`
 * validates against the knowledge base.
 */

export const CALIBRATION_FILE = 'faq-calibration.json';
export const CALIBRATION_FORMAT = 1;

export interface LogisticModel {
  /** Standardization of each feature (the model sees (x − mean) / scale). */
  mean: number[];
  scale: number[];
  weights: number[];
  intercept: number;
}

/** The probability the model gives to one feature vector. */
export function probability(model: LogisticModel, features: readonly number[]): number {
  let z = model.intercept;
  for (let i = 0; i < model.weights.length; i++) z += (model.weights[i] ?? 0) * (((features[i] ?? 0) - (model.mean[i] ?? 0)) / (model.scale[i] ?? 1));
  return 1 / (1 + Math.exp(-z));
}

/** L2 penalty on the weights (not the intercept): keeps a rare feature from taking an extreme weight. */
const RIDGE = 1;

/**
 * Maximum-likelihood logistic regression by Newton's method (iteratively reweighted least squares), ml-matrix solving
 * each step's linear system. ml-logistic-regression (mljs) was measured first: plain gradient descent, no intercept nor
 * penalty, 40 s a fit on these features × 8,000 rows; Newton converges in about ten steps of a 16 × 16 system.
 */
export function fitLogistic(rows: readonly { features: readonly number[]; label: 0 | 1 }[]): LogisticModel {
  const d = rows[0]?.features.length ?? 0;
  const n = rows.length;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const row of rows) for (let i = 0; i < d; i++) mean[i] = (mean[i] ?? 0) + (row.features[i] ?? 0) / n;
  for (const row of rows) for (let i = 0; i < d; i++) scale[i] = (scale[i] ?? 0) + ((row.features[i] ?? 0) - (mean[i] ?? 0)) ** 2 / n;
  for (let i = 0; i < d; i++) scale[i] = Math.sqrt(scale[i] ?? 0) || 1;
  // Column 0 is the intercept.
  const x = rows.map((row) => [1, ...row.features.map((value, i) => (value - (mean[i] ?? 0)) / (scale[i] ?? 1))]);
  const beta = new Array<number>(d + 1).fill(0);
  for (let step = 0; step < 50; step++) {
    const gradient = new Array<number>(d + 1).fill(0);
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    rows.forEach((row, r) => {
      const xr = x[r] as number[];
      const p = 1 / (1 + Math.exp(-xr.reduce((sum, value, i) => sum + value * (beta[i] ?? 0), 0)));
      const w = Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i <= d; i++) {
        gradient[i] = (gradient[i] ?? 0) + (p - row.label) * (xr[i] ?? 0);
        const hi = hessian[i] as number[];
        for (let j = i; j <= d; j++) hi[j] = (hi[j] ?? 0) + w * (xr[i] ?? 0) * (xr[j] ?? 0);
      }
    });
    for (let i = 0; i <= d; i++) {
      const hi = hessian[i] as number[];
      for (let j = 0; j < i; j++) hi[j] = (hessian[j] as number[])[i] ?? 0;
      if (i > 0) {
        gradient[i] = (gradient[i] ?? 0) + RIDGE * (beta[i] ?? 0);
        hi[i] = (hi[i] ?? 0) + RIDGE;
      }
    }
    const delta = solve(new Matrix(hessian), Matrix.columnVector(gradient)).to1DArray();
    let largest = 0;
    delta.forEach((value, i) => {
      beta[i] = (beta[i] ?? 0) - value;
      largest = Math.max(largest, Math.abs(value));
    });
    if (largest < 1e-7) break;
  }
  return { mean, scale, weights: beta.slice(1), intercept: beta[0] ?? 0 };
}

/** One point of the cross-validated risk curve: answer from `confidence` up, and what it cost. */
export interface ThresholdPoint {
  confidence: number;
  /** Share of the answers given that were wrong (another entry, or an answer to an off-topic message). */
  risk: number;
  /** Share of the in-scope questions answered with the right entry. */
  rightAnswers: number;
}

export interface PolicyLevels {
  /** Under an answer, another entry gets a « Voir aussi » button from this confidence up. */
  seeAlso: number;
  /** When the bot does not answer, the closest entries are offered from this confidence up. */
  suggest: number;
  /** Two entries are tied (the user picks) when the second reaches `seeAlso` and is within this of the first. */
  tie: number;
  /**
   * When no entry is plausible, a small-talk kind or an out-of-scope subject whose activation reaches this gets its
   * reply (below it, the message gets the plain abstention).
   */
  conversation: number;
}

export interface SetFigures {
  name: string;
  questions: number;
  right: number;
  wrong: number;
  /** The right entry answered, or one of the buttons offered (see also, choices, closest entries). */
  oneClick: number;
  offTopic: number;
  offTopicAnswered: number;
  offTopicOffered: number;
}

export interface Calibration {
  format: number;
  fittedAt: string;
  knowledge: { entries: string[]; fingerprint: string };
  features: string[];
  model: LogisticModel;
  thresholds: ThresholdPoint[];
  policy: PolicyLevels;
  crossValidation: { acceptedRisk: number; sets: SetFigures[]; pooled: SetFigures };
}

const figuresSchema = z
  .object({
    name: z.string(),
    questions: z.number().int().min(0),
    right: z.number().int().min(0),
    wrong: z.number().int().min(0),
    oneClick: z.number().int().min(0),
    offTopic: z.number().int().min(0),
    offTopicAnswered: z.number().int().min(0),
    offTopicOffered: z.number().int().min(0),
  })
  .strict();

const finite = z.number().finite();
const share = z.number().min(0).max(1);

export const calibrationSchema = z
  .object({
    format: z.literal(CALIBRATION_FORMAT),
    fittedAt: z.string().datetime(),
    knowledge: z.object({ entries: z.array(z.string()).min(1), fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    features: z.array(z.string()),
    model: z
      .object({ mean: z.array(finite), scale: z.array(z.number().positive()), weights: z.array(finite), intercept: finite })
      .strict()
      .refine((model) => model.mean.length === model.weights.length && model.scale.length === model.weights.length, {
        message: 'model: mean, scale et weights doivent avoir la même longueur',
      }),
    thresholds: z.array(z.object({ confidence: share, risk: share, rightAnswers: share }).strict()).min(1),
    policy: z.object({ seeAlso: share, suggest: share, tie: share, conversation: z.number().min(0) }).strict(),
    crossValidation: z.object({ acceptedRisk: share, sets: z.array(figuresSchema), pooled: figuresSchema }).strict(),
  })
  .strict();

/**
 * What the calibration was fitted on: the classifier's settings, the features, the entries with their titles and
 * phrasings, the conversation data, the glossary and the labelled questions. Any change means `kb calibrate` again.
 */
export function knowledgeFingerprint(base: KnowledgeBase): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ classifier: CLASSIFIER_SETTINGS, conversationWeight: CONVERSATION_WEIGHT, features: FEATURE_NAMES, glossary: base.glossary }));
  for (const entry of base.entries) hash.update(JSON.stringify([entry.id, entry.title, entry.questions]));
  hash.update(JSON.stringify(base.smallTalk.map((kind) => [kind.id, kind.examples])));
  hash.update(JSON.stringify(base.outOfScope.map((subject) => [subject.id, subject.examples])));
  for (const set of base.labelledSets) hash.update(JSON.stringify([set.name, set.cases.map((item) => [item.question, item.expected])]));
  return hash.digest('hex');
}

export type CalibrationStatus =
  | { state: 'ok'; calibration: Calibration }
  /** Usable, but fitted on other phrasings or labelled questions: the bot uses it, `kb check` asks for a new fit. */
  | { state: 'outdated'; calibration: Calibration; problem: string }
  /** Not usable: the bot abstains with suggestions and never answers on its own. */
  | { state: 'unusable'; problem: string };

export function readCalibration(knowledgeDir: string, base: KnowledgeBase): CalibrationStatus {
  const file = path.join(knowledgeDir, CALIBRATION_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      state: 'unusable',
      problem: missing ? `${CALIBRATION_FILE} absent : lancez « certif-bot kb calibrate »` : `${CALIBRATION_FILE} illisible : lancez « certif-bot kb calibrate »`,
    };
  }
  const parsed = calibrationSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { state: 'unusable', problem: `${CALIBRATION_FILE} invalide (${first ? `${first.path.join('.')}: ${first.message}` : 'format'}) : lancez « certif-bot kb calibrate »` };
  }
  const calibration = parsed.data as Calibration;
  if (calibration.features.join(',') !== FEATURE_NAMES.join(',')) {
    return { state: 'unusable', problem: `${CALIBRATION_FILE} a été calibré pour d'autres indicateurs : lancez « certif-bot kb calibrate »` };
  }
  const fitted = new Set(calibration.knowledge.entries);
  const current = new Set(base.entries.map((entry) => entry.id));
  const added = [...current].filter((id) => !fitted.has(id));
  const removed = [...fitted].filter((id) => !current.has(id));
  if (added.length > 0 || removed.length > 0) {
    const changes = [...added.map((id) => `+${id}`), ...removed.map((id) => `-${id}`)].slice(0, 5).join(', ');
    return { state: 'unusable', problem: `${CALIBRATION_FILE} ne correspond plus aux fiches (${changes}) : lancez « certif-bot kb calibrate »` };
  }
  if (calibration.knowledge.fingerprint !== knowledgeFingerprint(base)) {
    return {
      state: 'outdated',
      calibration,
      problem: `${CALIBRATION_FILE} date d'avant la dernière modification des formulations, du glossaire ou des questions étiquetées : lancez « certif-bot kb calibrate »`,
    };
  }
  return { state: 'ok', calibration };
}

/**
 * The lowest confidence from which the cross-validated share of wrong answers stays within `acceptedRisk` (scanning
 * down from the most confident, so that every higher threshold keeps within it too). Above 1 when none does: the bot
 * then never answers on its own.
 */
export function answerThreshold(thresholds: readonly ThresholdPoint[], acceptedRisk: number): number {
  const sorted = [...thresholds].sort((a, b) => b.confidence - a.confidence);
  let chosen = Number.POSITIVE_INFINITY;
  for (const point of sorted) {
    if (point.risk > acceptedRisk + 1e-12) break;
    chosen = point.confidence;
  }
  return chosen;
}
