import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createFaqEngine } from '../../../src/features/faq/faq-engine.js';
import { replyFor } from '../../../src/features/faq/faq-replies.js';
import { loadKnowledge } from '../../../src/features/faq/knowledge-base.js';
import { MAX_REPLY_CHARS, visibleLength } from '../../../src/features/faq/knowledge-lint.js';

/**
 * Issue 17: on a phone, a reply is read in one screen. Every labelled question (knowledge/questions/; never the
 * locked sets) goes through the engine and the reply builder; the reply as shown, buttons included (« Voir aussi »
 * among them), stays under MAX_REPLY_CHARS. kb check bounds each entry's worst case (the two longest other titles).
 */
const root = path.resolve(import.meta.dirname, '../../..');
const knowledgeDir = path.join(root, 'knowledge');

describe('reply length on the labelled questions', () => {
  const base = loadKnowledge(knowledgeDir);
  const engine = createFaqEngine(base, { knowledgeDir, acceptedRisk: loadConfig({}).faq.acceptedRisk });

  it('reads the labelled sets', () => {
    expect(base.labelledSets.length).toBeGreaterThanOrEqual(2);
  });

  it.each(base.labelledSets.map((set) => set.name))(`keeps every reply to %s under ${MAX_REPLY_CHARS} characters as shown`, (name) => {
    const cases = base.labelledSets.find((set) => set.name === name)?.cases ?? [];
    expect(cases.length).toBeGreaterThan(0);
    const tooLong = cases.flatMap((c) => {
      const reply = replyFor(engine.understand(c.question), 1, base, { escalationAvailable: true, fullHelp: 'aide' });
      const length = visibleLength(reply);
      return length >= MAX_REPLY_CHARS ? [`${length} : ${c.question}`] : [];
    });
    expect(tooLong).toEqual([]);
  });
});
