import { describe, expect, it } from 'vitest';
import { decide, type PolicyThresholds } from '../../../src/features/faq/policy.js';

const thresholds: PolicyThresholds = { answer: 0.8, seeAlso: 0.2, suggest: 0.1, tie: 0.15, conversation: 0.25 };
const c = (entryId: string, confidence: number) => ({ entryId, confidence });
const cls = (label: string, activation: number, share = 0.5) => ({ label, activation, share });

describe('the reply policy', () => {
  it('answers from the answer threshold up (inclusive), with plausible next entries as « Voir aussi »', () => {
    expect(decide([c('a', 0.8), c('b', 0.3), c('c', 0.21), c('d', 0.2)], [], thresholds)).toEqual({
      outcome: 'answered',
      entryId: 'a',
      confidence: 0.8,
      seeAlso: [c('b', 0.3), c('c', 0.21)],
    });
    expect(decide([c('a', 0.95), c('b', 0.19)], [], thresholds)).toEqual({ outcome: 'answered', entryId: 'a', confidence: 0.95, seeAlso: [] });
    expect(decide([c('a', 0.79)], [], thresholds).outcome).not.toBe('answered');
  });

  it('ranks the candidates itself, whatever order they come in', () => {
    expect(decide([c('b', 0.3), c('a', 0.9)], [], thresholds)).toMatchObject({ outcome: 'answered', entryId: 'a', seeAlso: [c('b', 0.3)] });
  });

  it('lets the user pick when two entries are tied, even above the answer threshold', () => {
    expect(decide([c('a', 0.9), c('b', 0.76), c('c', 0.1), c('d', 0.05)], [], thresholds)).toEqual({
      outcome: 'clarified',
      choices: [c('a', 0.9), c('b', 0.76), c('c', 0.1)],
      confidence: 0.9,
    });
    expect(decide([c('a', 0.9), c('b', 0.74)], [], thresholds).outcome).toBe('answered');
    expect(decide([c('a', 0.5), c('b', 0.45)], [], thresholds).outcome).toBe('clarified');
    // A second entry that is not even worth a « Voir aussi » is no tie.
    expect(decide([c('a', 0.3), c('b', 0.19)], [], thresholds).outcome).toBe('abstained');
  });

  it('abstains below the threshold, naming the plausible entries (three at most)', () => {
    expect(decide([c('a', 0.6), c('b', 0.3), c('c', 0.1), c('d', 0.1), c('e', 0.05)], [], thresholds)).toEqual({
      outcome: 'abstained',
      confidence: 0.6,
      nearby: [c('a', 0.6), c('b', 0.3), c('c', 0.1)],
    });
    expect(decide([], [], thresholds)).toEqual({ outcome: 'abstained', confidence: null, nearby: [] });
  });

  it('gives a recognized small-talk kind or out-of-scope subject its reply when no entry is plausible', () => {
    expect(decide([c('a', 0.05)], [cls('out-of-scope', 0.9), cls('small-talk:greeting', 0.4)], thresholds)).toEqual({ outcome: 'small_talk', kind: 'greeting' });
    expect(decide([], [cls('out-of-scope:conges', 0.5)], thresholds)).toEqual({ outcome: 'abstained', confidence: null, nearby: [], outOfScope: 'conges' });
    // Too faint to be sure: the plain abstention.
    expect(decide([], [cls('small-talk:greeting', 0.24)], thresholds)).toEqual({ outcome: 'abstained', confidence: null, nearby: [] });
    // The generic off-topic class has no reply of its own.
    expect(decide([], [cls('out-of-scope', 1)], thresholds)).toEqual({ outcome: 'abstained', confidence: null, nearby: [] });
  });

  it('never lets small talk or a subject hide an entry that is plausible', () => {
    expect(decide([c('a', 0.3)], [cls('small-talk:greeting', 0.9)], thresholds)).toEqual({ outcome: 'abstained', confidence: 0.3, nearby: [c('a', 0.3)] });
    expect(decide([c('a', 0.85)], [cls('out-of-scope:conges', 0.9)], thresholds)).toMatchObject({ outcome: 'answered', entryId: 'a' });
  });

  it('holds its boundaries inclusively: a « Voir aussi », a tie and a recognized kind exactly at their level', () => {
    const exact: PolicyThresholds = { answer: 0.5, seeAlso: 0.25, suggest: 0.125, tie: 0.25, conversation: 0.25 };
    expect(decide([c('a', 0.875), c('b', 0.25)], [], exact)).toMatchObject({ outcome: 'answered', seeAlso: [c('b', 0.25)] });
    expect(decide([c('a', 0.75), c('b', 0.5)], [], exact).outcome).toBe('clarified');
    expect(decide([c('a', 0.875), c('b', 0.5)], [], exact).outcome).toBe('answered');
    expect(decide([], [cls('small-talk:thanks', 0.25)], exact)).toEqual({ outcome: 'small_talk', kind: 'thanks' });
  });

  it('offers tied entries in a stable order (by id), and looks past an entry class for a small-talk kind', () => {
    expect(decide([c('b', 0.9), c('a', 0.9)], [], thresholds)).toMatchObject({ outcome: 'clarified', choices: [c('a', 0.9), c('b', 0.9)] });
    // An entry the classifier likes but the decision model does not find plausible is not a reply kind.
    expect(decide([c('x', 0.05)], [cls('x', 0.9), cls('small-talk:greeting', 0.5)], thresholds)).toEqual({ outcome: 'small_talk', kind: 'greeting' });
  });
});
