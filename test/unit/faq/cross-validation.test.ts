import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runKb } from '../../../src/cli/kb.js';
import { CALIBRATION_FILE, type Calibration } from '../../../src/features/faq/calibration.js';
import { makeTestTempDir } from '../../support/temp-dir.js';

/**
 * `kb calibrate` on a copy of the shipped knowledge base: the cross-validated figures (each labelled set answered by
 * a classifier and a decision model that never saw it) must not fall below today's, and the shipped calibration must
 * be exactly what the command produces (only the date differs), so that nobody hand-edits it.
 *
 * Non-regression bars, a little under the figures of 2026-12-04, measured then at 90.1 % right direct answers, 96.9 % within one click, 1.4 % wrong, 4 of 563 off-topic answered.
 */
const BARS = { right: 0.88, oneClick: 0.955, wrong: 0.02, offTopicAnswered: 0.012 };

const knowledgeDir = path.resolve(import.meta.dirname, '../../../knowledge');

describe('kb calibrate (cross-validation grouped by labelled set)', () => {
  it(
    'fits the shipped calibration again, with cross-validated figures at or above the bars',
    async () => {
      const copy = path.join(makeTestTempDir('certif-calibrate-'), 'knowledge');
      fs.cpSync(knowledgeDir, copy, { recursive: true });
      fs.rmSync(path.join(copy, CALIBRATION_FILE));
      let stdout = '';
      const code = await runKb(['calibrate'], {
        stdin: new PassThrough(),
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => true },
        env: { KNOWLEDGE_DIR: copy, DATA_DIR: path.join(copy, '..', 'data') },
      });
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(/bonne fiche en réponse directe/);

      const fitted = JSON.parse(fs.readFileSync(path.join(copy, CALIBRATION_FILE), 'utf8')) as Calibration;
      const { pooled } = fitted.crossValidation;
      expect(pooled.questions).toBeGreaterThan(900);
      expect(pooled.right / pooled.questions).toBeGreaterThanOrEqual(BARS.right);
      expect(pooled.oneClick / pooled.questions).toBeGreaterThanOrEqual(BARS.oneClick);
      expect(pooled.wrong / pooled.questions).toBeLessThanOrEqual(BARS.wrong);
      expect(pooled.offTopicAnswered / pooled.offTopic).toBeLessThanOrEqual(BARS.offTopicAnswered);

      const shipped = JSON.parse(fs.readFileSync(path.join(knowledgeDir, CALIBRATION_FILE), 'utf8')) as Calibration;
      expect({ ...fitted, fittedAt: '' }).toEqual({ ...shipped, fittedAt: '' });
    },
    300_000,
  );
});
