import { parseLabel, type ClassScore } from './classifier.js';
import type { PolicyLevels } from './calibration.js';

/**
 * The reply policy: from each candidate entry's calibrated probability (its confidence) to what the bot does.
 * - answer when the best entry reaches the answer threshold (set by the accepted risk), with the next closest
 *   entries as « Voir aussi » buttons when they are plausible too;
 * - let the user pick among the closest entries when two are genuinely tied;
 * - otherwise do not answer: small talk and out-of-scope subjects get their reply when the classifier says so and no
 *   entry is plausible; any other message gets an honest abstention naming the closest plausible entries.
 * Pure: the same function decides in the bot, in `kb eval` and in cross-validation.
 */

export interface ScoredCandidate {
  entryId: string;
  confidence: number;
}

export interface PolicyThresholds extends PolicyLevels {
  answer: number;
}

export type Decision =
  | { outcome: 'answered'; entryId: string; confidence: number; seeAlso: ScoredCandidate[] }
  | { outcome: 'clarified'; choices: ScoredCandidate[]; confidence: number }
  | { outcome: 'small_talk'; kind: string }
  | { outcome: 'abstained'; confidence: number | null; nearby: ScoredCandidate[]; outOfScope?: string };

const MAX_SEE_ALSO = 2;
const MAX_CHOICES = 3;

export function decide(candidates: readonly ScoredCandidate[], classes: readonly ClassScore[], thresholds: PolicyThresholds): Decision {
  const ranked = [...candidates].sort((a, b) => b.confidence - a.confidence || a.entryId.localeCompare(b.entryId));
  const [first, second] = ranked;
  const confidence = first?.confidence ?? null;
  const plausible = ranked.filter((candidate) => candidate.confidence >= thresholds.suggest).slice(0, MAX_CHOICES);
  // Tied: the second is as plausible as a « Voir aussi » and close to the first; the user knows better than a coin toss.
  const tied = first !== undefined && second !== undefined && second.confidence >= thresholds.seeAlso && first.confidence - second.confidence <= thresholds.tie;
  if (first && first.confidence >= thresholds.answer) {
    if (tied) return { outcome: 'clarified', choices: plausible, confidence: first.confidence };
    const seeAlso = ranked.slice(1, 1 + MAX_SEE_ALSO).filter((candidate) => candidate.confidence >= thresholds.seeAlso);
    return { outcome: 'answered', entryId: first.entryId, confidence: first.confidence, seeAlso };
  }
  if (plausible.length === 0) {
    // Nothing of ours is plausible: a small-talk kind or a known subject the classifier recognizes says what the
    // message is (the generic off-topic class, trained on every kind of off-topic message, does not compete here).
    const recognized = classes
      .filter((score) => score.activation >= thresholds.conversation)
      .map((score) => parseLabel(score.label))
      .find((label) => label.kind !== 'entry' && label.id !== undefined);
    if (recognized?.kind === 'small-talk' && recognized.id) return { outcome: 'small_talk', kind: recognized.id };
    if (recognized?.kind === 'out-of-scope' && recognized.id) return { outcome: 'abstained', confidence, nearby: [], outOfScope: recognized.id };
  }
  if (tied) return { outcome: 'clarified', choices: plausible, confidence: first.confidence };
  return { outcome: 'abstained', confidence, nearby: plausible };
}
