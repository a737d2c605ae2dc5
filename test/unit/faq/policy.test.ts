import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/features/faq/search.js';

const settings = { answerMaxScore: 0.3, answerMinMargin: 0.1, clarifyMaxScore: 0.5, anchoredAnswerMaxScore: 0.45, namedAnswerMaxScore: 0.6, namedAnswerMinMargin: 0.15, suggestMaxScore: 0.7, namedSuggestMaxScore: 0.8 };
const c = (entryId: string, score: number) => ({ entryId, title: `Titre ${entryId}`, score });

describe('answer / clarify / abstain policy', () => {
  it('answers when the best entry is good and clearly ahead', () => {
    expect(decide([c('a', 0.05), c('b', 0.4)], settings)).toEqual({ outcome: 'answered', entryId: 'a', score: 0.05 });
  });

  it('answers when there is a single good candidate', () => {
    expect(decide([c('a', 0.3)], settings)).toMatchObject({ outcome: 'answered', entryId: 'a' });
  });

  it('clarifies with the three best when the top entries are too close', () => {
    const decision = decide([c('a', 0.05), c('b', 0.1), c('c', 0.12), c('d', 0.13)], settings);
    expect(decision.outcome).toBe('clarified');
    expect(decision.outcome === 'clarified' && decision.suggestions.map((s) => s.entryId)).toEqual(['a', 'b', 'c']);
  });

  it('clarifies when the best is only fair', () => {
    expect(decide([c('a', 0.45), c('b', 0.9)], settings).outcome).toBe('clarified');
  });

  it('abstains when nothing is close enough, or when there is no candidate', () => {
    expect(decide([c('a', 0.71), c('b', 0.8)], settings)).toEqual({ outcome: 'abstained', score: 0.71, nearby: [] });
    expect(decide([], settings)).toEqual({ outcome: 'abstained', score: null, nearby: [] });
  });

  it('names the three closest entries when abstaining with a score up to suggestMaxScore (inclusive)', () => {
    const near = decide([c('a', 0.51), c('b', 0.6), c('c', 0.65), c('d', 0.66)], settings);
    expect(near).toMatchObject({ outcome: 'abstained', score: 0.51 });
    expect(near.outcome === 'abstained' && near.nearby.map((s) => s.entryId)).toEqual(['a', 'b', 'c']);
    expect(decide([c('a', 0.7)], settings)).toMatchObject({ outcome: 'abstained', nearby: [c('a', 0.7)] });
    // Only candidates close enough themselves.
    expect(decide([c('a', 0.6), c('b', 0.71), c('c', 0.9)], settings)).toMatchObject({ outcome: 'abstained', nearby: [c('a', 0.6)] });
  });

  it('answers a fairer match when the question names the certification world, still with the margin', () => {
    expect(decide([c('a', 0.45), c('b', 0.9)], settings, 'domain')).toMatchObject({ outcome: 'answered', entryId: 'a' });
    expect(decide([c('a', 0.45), c('b', 0.9)], settings, 'none').outcome).toBe('clarified');
    expect(decide([c('a', 0.46), c('b', 0.9)], settings, 'domain').outcome).toBe('clarified');
    expect(decide([c('a', 0.4), c('b', 0.45)], settings, 'domain').outcome).toBe('clarified');
  });

  it('answers a fairer match still when the question names the certification itself and the best entry is well ahead', () => {
    // Above the domain threshold and the clarification one, with a wide margin: answered only when named.
    expect(decide([c('a', 0.58), c('b', 0.75)], settings, 'named')).toMatchObject({ outcome: 'answered', entryId: 'a' });
    expect(decide([c('a', 0.58), c('b', 0.75)], settings, 'domain').outcome).toBe('abstained');
    expect(decide([c('a', 0.58), c('b', 0.75)], settings, 'none').outcome).toBe('abstained');
    // The margin is required (inclusive), and so is the score bound.
    expect(decide([c('a', 0.58), c('b', 0.73)], settings, 'named').outcome).toBe('answered');
    expect(decide([c('a', 0.58), c('b', 0.72)], settings, 'named').outcome).toBe('abstained');
    expect(decide([c('a', 0.61), c('b', 0.9)], settings, 'named').outcome).toBe('abstained');
    expect(decide([c('a', 0.58)], settings, 'named').outcome).toBe('answered');
    // A named question also gets the domain threshold: a close second there still clarifies.
    expect(decide([c('a', 0.45), c('b', 0.9)], settings, 'named').outcome).toBe('answered');
    expect(decide([c('a', 0.4), c('b', 0.45)], settings, 'named').outcome).toBe('clarified');
  });

  it('offers closer entries further out when the question names the certification', () => {
    const far = [c('a', 0.72), c('b', 0.79), c('c', 0.81)];
    expect(decide(far, settings, 'named')).toEqual({ outcome: 'abstained', score: 0.72, nearby: [c('a', 0.72), c('b', 0.79)] });
    expect(decide(far, settings, 'domain')).toEqual({ outcome: 'abstained', score: 0.72, nearby: [] });
    expect(decide(far, settings, 'none')).toEqual({ outcome: 'abstained', score: 0.72, nearby: [] });
  });

  it('uses the margin boundary inclusively', () => {
    expect(decide([c('a', 0.2), c('b', 0.3)], settings).outcome).toBe('answered');
    expect(decide([c('a', 0.2), c('b', 0.29)], settings).outcome).toBe('clarified');
  });
});
