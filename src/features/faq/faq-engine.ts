import type { FaqCandidate } from '../ports.js';
import { wordsOf } from './analyzer.js';
import { answerThreshold, probability, readCalibration, type Calibration, type CalibrationStatus, type LogisticModel } from './calibration.js';
import type { ClassScore } from './classifier.js';
import { candidatesOf, createSignals, FEATURE_NAMES, type CandidateEvidence, type Signals } from './evidence.js';
import { checkInput, emojiKind } from './input-check.js';
import type { KnowledgeBase, KnowledgeEntry, OutOfScopeSubject, SmallTalkKind } from './knowledge-base.js';
import { decide, type Decision, type PolicyThresholds, type ScoredCandidate } from './policy.js';

/**
 * The whole question → decision path, without I/O: used by the chat handlers, `kb eval`, `kb calibrate`'s
 * cross-validation and the benchmark, so that all of them measure the same thing.
 */

export type Understanding =
  | { outcome: 'invalid'; normalized: string; message: string }
  | { outcome: 'small_talk'; normalized: string; kind: SmallTalkKind }
  | {
      outcome: 'answered';
      normalized: string;
      entry: KnowledgeEntry;
      confidence: number;
      /** Other plausible entries, offered as « Voir aussi » buttons under the answer. */
      seeAlso: FaqCandidate[];
      candidates: FaqCandidate[];
    }
  | { outcome: 'clarified'; normalized: string; suggestions: FaqCandidate[]; confidence: number; candidates: FaqCandidate[] }
  | {
      outcome: 'abstained';
      normalized: string;
      confidence: number | null;
      candidates: FaqCandidate[];
      /** The closest plausible entries, offered without answering (empty when none is plausible). */
      nearby: FaqCandidate[];
      /** Set when the message is about a known subject that is not ours (congés, salaire…). */
      outOfScope?: OutOfScopeSubject;
    };

/** A message after the input check and the two signals, before the decision model. */
export type Inspection =
  | { kind: 'invalid'; message: string }
  | { kind: 'small_talk'; smallTalk: string; normalized: string }
  | { kind: 'question'; normalized: string; candidates: CandidateEvidence[]; classes: ClassScore[] };

/** The decision model and its thresholds, or nothing when no usable calibration exists. */
export interface DecisionModel {
  model: LogisticModel;
  thresholds: PolicyThresholds;
}

export interface FaqEngine {
  base: KnowledgeBase;
  signals: Signals;
  calibration: CalibrationStatus;
  understand(text: string): Understanding;
}

export interface EngineOptions {
  /** Where knowledge/faq-calibration.json lives (the knowledge directory); without it, no calibration is read. */
  knowledgeDir?: string;
  /** Accepted share of wrong answers (FAQ_ACCEPTED_RISK): picks the answer threshold on the calibration's curve. */
  acceptedRisk: number;
  /** A calibration already read (tests, cross-validation); otherwise it is read from `knowledgeDir`. */
  calibration?: CalibrationStatus;
}

export function createFaqEngine(base: KnowledgeBase, options: EngineOptions): FaqEngine {
  const signals = createSignals(base);
  const calibration =
    options.calibration ??
    (options.knowledgeDir ? readCalibration(options.knowledgeDir, base) : { state: 'unusable' as const, problem: 'aucune calibration' });
  const decision = calibration.state === 'unusable' ? undefined : decisionModel(calibration.calibration, options.acceptedRisk);
  return {
    base,
    signals,
    calibration,
    understand: (text) => conclude(base, inspect(base, signals, text), decision),
  };
}

/** The fitted model with the policy's levels, the answer threshold picked on its risk curve for `acceptedRisk`. */
function decisionModel(calibration: Pick<Calibration, 'model' | 'thresholds' | 'policy'>, acceptedRisk: number): DecisionModel {
  return { model: calibration.model, thresholds: { ...calibration.policy, answer: answerThreshold(calibration.thresholds, acceptedRisk) } };
}

export function inspect(base: KnowledgeBase, signals: Signals, raw: string): Inspection {
  const input = checkInput(raw, (text) => emojiKind(text, base.smallTalk) !== undefined);
  if (input.kind === 'invalid') return { kind: 'invalid', message: input.message };
  const emoji = emojiKind(input.text, base.smallTalk);
  if (emoji) return { kind: 'small_talk', smallTalk: emoji, normalized: '' };
  const evidence = signals.gather(wordsOf(input.text));
  return { kind: 'question', normalized: evidence.terms.join(' '), candidates: candidatesOf(evidence, signals.titleSubjects), classes: evidence.classes };
}

export function conclude(base: KnowledgeBase, inspection: Inspection, decision: DecisionModel | undefined): Understanding {
  if (inspection.kind === 'invalid') return { outcome: 'invalid', normalized: '', message: inspection.message };
  if (inspection.kind === 'small_talk') return smallTalkOf(base, inspection.smallTalk, inspection.normalized) ?? abstention(inspection.normalized, null, [], []);
  const { normalized } = inspection;
  const scored = decision ? inspection.candidates.map((candidate) => ({ entryId: candidate.entryId, confidence: probability(decision.model, candidate.features) })) : fallbackRanking(inspection.candidates);
  const candidates = toFaqCandidates(base, [...scored].sort((a, b) => b.confidence - a.confidence));
  const outcome: Decision = decision
    ? decide(scored, inspection.classes, decision.thresholds)
    : // Without a calibration the bot never answers on its own: it names the closest entries and offers the hand-off.
      { outcome: 'abstained', confidence: null, nearby: scored.slice(0, 3) };
  switch (outcome.outcome) {
    case 'answered': {
      const entry = base.byId.get(outcome.entryId);
      if (!entry) return abstention(normalized, outcome.confidence, candidates, []);
      return { outcome: 'answered', normalized, entry, confidence: outcome.confidence, seeAlso: toFaqCandidates(base, outcome.seeAlso), candidates };
    }
    case 'clarified':
      return { outcome: 'clarified', normalized, suggestions: toFaqCandidates(base, outcome.choices), confidence: outcome.confidence, candidates };
    case 'small_talk':
      return smallTalkOf(base, outcome.kind, normalized) ?? abstention(normalized, null, candidates, []);
    case 'abstained': {
      const outOfScope = outcome.outOfScope ? base.outOfScope.find((subject) => subject.id === outcome.outOfScope) : undefined;
      return { ...abstention(normalized, outcome.confidence, candidates, toFaqCandidates(base, outcome.nearby)), ...(outOfScope ? { outOfScope } : {}) };
    }
  }
}

function abstention(normalized: string, confidence: number | null, candidates: FaqCandidate[], nearby: FaqCandidate[]): Understanding {
  return { outcome: 'abstained', normalized, confidence, candidates, nearby };
}

function smallTalkOf(base: KnowledgeBase, kind: string, normalized: string): Understanding | undefined {
  const found = base.smallTalk.find((item) => item.id === kind);
  return found ? { outcome: 'small_talk', normalized, kind: found } : undefined;
}

function toFaqCandidates(base: KnowledgeBase, scored: readonly ScoredCandidate[]): FaqCandidate[] {
  return scored.flatMap((candidate) => {
    const entry = base.byId.get(candidate.entryId);
    return entry ? [{ entryId: entry.id, title: entry.title, confidence: Math.round(candidate.confidence * 1000) / 1000 }] : [];
  });
}

/**
 * Without a decision model: both signals' views summed (lexical match + classifier share), only to order the entries
 * offered. Confidence stays 0: nothing is answered on it.
 */
const LEXICAL_MATCH = FEATURE_NAMES.indexOf('lexical.match');
const CLASSIFIER_SHARE = FEATURE_NAMES.indexOf('classifier.share');

function fallbackRanking(candidates: readonly CandidateEvidence[]): ScoredCandidate[] {
  return candidates
    .map((candidate) => ({ entryId: candidate.entryId, strength: (candidate.features[LEXICAL_MATCH] ?? 0) + (candidate.features[CLASSIFIER_SHARE] ?? 0) }))
    .filter((candidate) => candidate.strength > 0.3)
    .sort((a, b) => b.strength - a.strength)
    .map((candidate) => ({ entryId: candidate.entryId, confidence: 0 }));
}
