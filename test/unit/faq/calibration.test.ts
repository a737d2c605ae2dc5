import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerThreshold, CALIBRATION_FILE, fitLogistic, knowledgeFingerprint, probability, readCalibration, type Calibration } from '../../../src/features/faq/calibration.js';
import { FEATURE_NAMES } from '../../../src/features/faq/evidence.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';

/** A deterministic pseudo-random stream, so that the fitted weights are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('the logistic fit', () => {
  it('recovers the weights that generated the data, and gives probabilities that follow them', () => {
    const next = random(7);
    const rows = Array.from({ length: 4000 }, () => {
      const x = [next() * 2 - 1, next() * 2 - 1, next() * 2 - 1];
      const z = -0.5 + 2 * x[0]! - 3 * x[1]! + 0 * x[2]!;
      return { features: x, label: next() < 1 / (1 + Math.exp(-z)) ? (1 as const) : (0 as const) };
    });
    const model = fitLogistic(rows);
    // Back to the raw scale: the model standardizes each feature.
    const raw = model.weights.map((w, i) => w / model.scale[i]!);
    expect(raw[0]).toBeCloseTo(2, 0);
    expect(raw[1]).toBeCloseTo(-3, 0);
    expect(Math.abs(raw[2]!)).toBeLessThan(0.3);
    expect(probability(model, [1, -1, 0])).toBeGreaterThan(0.95);
    expect(probability(model, [-1, 1, 0])).toBeLessThan(0.05);
  });
});

describe('the answer threshold for an accepted risk', () => {
  const curve = [
    { confidence: 0.5, risk: 0.05, rightAnswers: 0.95 },
    { confidence: 0.6, risk: 0.03, rightAnswers: 0.93 },
    { confidence: 0.7, risk: 0.02, rightAnswers: 0.9 },
    { confidence: 0.8, risk: 0.01, rightAnswers: 0.85 },
    { confidence: 0.9, risk: 0.025, rightAnswers: 0.7 },
    { confidence: 0.95, risk: 0, rightAnswers: 0.5 },
  ];

  it('is the lowest level from which every higher level keeps within the risk', () => {
    // 0.9 goes over 2 %: the scan from the top stops there, whatever lies below.
    expect(answerThreshold(curve, 0.02)).toBe(0.95);
    expect(answerThreshold(curve, 0.025)).toBe(0.7);
    expect(answerThreshold(curve, 0.05)).toBe(0.5);
  });

  it('is out of reach when even the most confident answers are too often wrong', () => {
    expect(answerThreshold([{ confidence: 0.99, risk: 0.5, rightAnswers: 0.1 }], 0.02)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('reading the calibration file', () => {
  const knowledgeDir = path.resolve(import.meta.dirname, '../../../knowledge');
  const base = loadKnowledge(knowledgeDir);
  const shipped = JSON.parse(fs.readFileSync(path.join(knowledgeDir, CALIBRATION_FILE), 'utf8')) as Calibration;
  const dirs: string[] = [];
  const withFile = (content: string | undefined): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certif-calibration-'));
    dirs.push(dir);
    if (content !== undefined) fs.writeFileSync(path.join(dir, CALIBRATION_FILE), content);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the shipped file up to date with the shipped knowledge base (run « kb calibrate » after editing it)', () => {
    const status = readCalibration(knowledgeDir, base);
    expect(status.state === 'ok' ? 'ok' : status.problem).toBe('ok');
    expect(shipped.features).toEqual([...FEATURE_NAMES]);
  });

  it('cannot use a missing, unreadable or malformed file, and says what to run', () => {
    expect(readCalibration(withFile(undefined), base)).toMatchObject({ state: 'unusable', problem: expect.stringMatching(/absent.*kb calibrate/) });
    expect(readCalibration(withFile('{ not json'), base)).toMatchObject({ state: 'unusable', problem: expect.stringMatching(/illisible/) });
    expect(readCalibration(withFile(JSON.stringify({ ...shipped, model: { ...shipped.model, weights: [1] } })), base)).toMatchObject({
      state: 'unusable',
      problem: expect.stringMatching(/invalide/),
    });
  });

  it('cannot use a file fitted for other features, or before an entry was added or removed', () => {
    expect(readCalibration(withFile(JSON.stringify({ ...shipped, features: ['autre'] })), base)).toMatchObject({ state: 'unusable' });
    const removed = { ...shipped, knowledge: { ...shipped.knowledge, entries: shipped.knowledge.entries.slice(1) } };
    expect(readCalibration(withFile(JSON.stringify(removed)), base)).toMatchObject({
      state: 'unusable',
      problem: expect.stringContaining(`+${shipped.knowledge.entries[0]}`),
    });
    const added = { ...shipped, knowledge: { ...shipped.knowledge, entries: [...shipped.knowledge.entries, 'fiche-disparue'] } };
    expect(readCalibration(withFile(JSON.stringify(added)), base)).toMatchObject({ state: 'unusable', problem: expect.stringContaining('-fiche-disparue') });
  });

  it('still uses a file fitted before a phrasing changed, and says it is outdated', () => {
    const edited = { ...base, entries: base.entries.map((entry, i) => (i === 0 ? { ...entry, questions: [...entry.questions, 'une formulation de plus'] } : entry)) };
    expect(knowledgeFingerprint(edited)).not.toBe(knowledgeFingerprint(base));
    expect(readCalibration(knowledgeDir, edited)).toMatchObject({ state: 'outdated', problem: expect.stringMatching(/kb calibrate/) });
  });
});
