import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createFaqEngine } from '../../../src/features/faq/faq-engine.js';
import { EVAL_MIN_ACCURACY, evaluate, formatEvalReport, parseEvalFile } from '../../../src/features/faq/evaluation.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';

/**
 * The real knowledge base against the labelled evaluation set, with the default thresholds of src/config.ts.
 * A clarification counts as a miss; a single off-topic question answered fails the test.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const evalFile = path.join(root, 'eval/faq-eval.tsv');

describe('FAQ evaluation on knowledge/ and eval/faq-eval.tsv', () => {
  const base = loadKnowledge(path.join(root, 'knowledge'));
  const { cases, problems } = parseEvalFile(fs.existsSync(evalFile) ? fs.readFileSync(evalFile, 'utf8') : '');
  const engine = createFaqEngine(base, loadConfig({}).faq);
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

  it('decides exactly as the reference retriever (fuse.js token search on every phrasing) on every question', () => {
    const reference = createFaqEngine(base, loadConfig({}).faq, { retriever: 'fuse' });
    const decisionOf = (u: ReturnType<typeof engine.understand>): string =>
      `${u.outcome} ${u.outcome === 'answered' ? u.entry.id : ''}${u.outcome === 'clarified' ? u.suggestions.map((s) => s.entryId).join(',') : ''}`;
    const differences = cases
      .map((c) => ({ q: c.question, fast: decisionOf(engine.understand(c.question)), ref: decisionOf(reference.understand(c.question)) }))
      .filter((d) => d.fast !== d.ref);
    expect(differences).toEqual([]);
  });

  it('answers no off-topic question', () => {
    expect(report.falseAnswers.map((o) => `${o.case.question} → ${o.got}`)).toEqual([]);
  });
});
