import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createFaqEngine } from '../../../src/features/faq/faq-engine.js';
import { replyFor } from '../../../src/features/faq/faq-replies.js';
import { parseEvalFile } from '../../../src/features/faq/evaluation.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';
import { MAX_REPLY_CHARS, seeAlsoWorstCase, visibleLength } from '../../../src/features/faq/knowledge-lint.js';

/**
 * Issue 17: on a phone, a reply is read in one screen. Every question of the open evaluation sets (eval/*.tsv, not
 * eval/locked/) goes through the engine and the reply builder; the reply as shown, buttons included — and, for an
 * answer, the two longest « Voir aussi » buttons the FAQ may add — stays under MAX_REPLY_CHARS.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const evalDir = path.join(root, 'eval');
const files = fs
  .readdirSync(evalDir, { withFileTypes: true })
  .filter((item) => item.isFile() && item.name.endsWith('.tsv'))
  .map((item) => item.name)
  .sort();

describe('reply length on the evaluation questions', () => {
  const base = loadKnowledge(path.join(root, 'knowledge'));
  const engine = createFaqEngine(base, loadConfig({}).faq);

  it('reads several open evaluation sets', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)(`keeps every reply to %s under ${MAX_REPLY_CHARS} characters as shown`, (file) => {
    const { cases } = parseEvalFile(fs.readFileSync(path.join(evalDir, file), 'utf8'));
    expect(cases.length).toBeGreaterThan(0);
    const tooLong = cases.flatMap((c) => {
      const understanding = engine.understand(c.question);
      const reply = replyFor(understanding, 1, base, true);
      const seeAlso = understanding.outcome === 'answered' ? seeAlsoWorstCase(understanding.entry, base) : [];
      const length = visibleLength({ ...reply, buttons: [...(reply.buttons ?? []), ...seeAlso] });
      return length >= MAX_REPLY_CHARS ? [`${length} : ${c.question}`] : [];
    });
    expect(tooLong).toEqual([]);
  });
});
