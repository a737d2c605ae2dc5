import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createFaqEngine } from '../../../src/features/faq/faq-engine.js';
import { EVAL_MIN_ACCURACY, evaluate, formatEvalReport, parseEvalFile } from '../../../src/features/faq/evaluation.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';

/**
 * The shipped FAQ (knowledge/ and its calibration) on knowledge/questions/faq-eval.tsv, the 96 questions of the
 * documentary research and 68 off-topic messages. The shipped model learned from them, so this checks that it answers
 * what it was taught; how it does on questions it never saw is cross-validation.test.ts and eval/locked/.
 * A clarification counts as a miss; a single off-topic question answered fails the test.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const evalFile = path.join(root, 'knowledge/questions/faq-eval.tsv');

describe('FAQ evaluation on knowledge/ and knowledge/questions/faq-eval.tsv', () => {
  const base = loadKnowledge(path.join(root, 'knowledge'));
  const { cases, problems } = parseEvalFile(fs.existsSync(evalFile) ? fs.readFileSync(evalFile, 'utf8') : '');
  const engine = createFaqEngine(base, { knowledgeDir: path.join(root, 'knowledge'), acceptedRisk: loadConfig({}).faq.acceptedRisk });
  const report = evaluate(engine, cases);

  it('has a well-formed evaluation set that names existing entries', () => {
    expect(problems).toEqual([]);
    expect(report.answerable).toBeGreaterThan(0);
    expect(report.offTopic).toBeGreaterThan(0);
    expect(report.unknownEntries.map((c) => `${c.line}: ${c.expected}`)).toEqual([]);
  });

  it(`answers at least ${EVAL_MIN_ACCURACY * 100} % of the answerable questions with the right entry`, () => {
    expect(report.accuracy, formatEvalReport(report)).toBeGreaterThanOrEqual(EVAL_MIN_ACCURACY);
  });

  it('answers no off-topic question', () => {
    expect(report.falseAnswers.map((o) => `${o.case.question} → ${o.got}`)).toEqual([]);
  });
});
