// FAQ benchmark: index build time and per-question latency (median, p99) on the real knowledge base and on a
// synthetic base of 5,000 entries. Runs on the compiled code: `npm run bench:faq` builds first.
// Usage: node bench/faq.mjs [knowledgeDir] [evalFile]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFaqEngine } from '../dist/features/faq/faq-engine.js';
import { readKnowledge } from '../dist/features/faq/knowledge-base.js';
import { parseEvalFile } from '../dist/features/faq/evaluation.js';
import { loadConfig } from '../dist/config.js';

const knowledgeDir = path.resolve(process.argv[2] ?? 'knowledge');
const evalFile = path.resolve(process.argv[3] ?? 'eval/faq-eval.tsv');
const settings = loadConfig({}).faq;

function percentile(sorted, p) {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** A tiny deterministic PRNG, so that two runs measure the same synthetic base. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function measure(label, base, questions, rounds = 5, retriever = 'indexed') {
  const startBuild = performance.now();
  const engine = createFaqEngine(base, settings, { retriever });
  const buildMs = performance.now() - startBuild;
  // Warm-up: let V8 optimize before timing.
  for (const q of questions.slice(0, 50)) engine.understand(q);
  const times = [];
  const firstPass = [];
  const outcomes = {};
  for (let round = 0; round < rounds; round++) {
    for (const q of questions) {
      const t0 = performance.now();
      const result = engine.understand(q);
      const elapsed = performance.now() - t0;
      times.push(elapsed);
      if (round === 0) {
        firstPass.push(elapsed);
        outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      }
    }
  }
  times.sort((a, b) => a - b);
  firstPass.sort((a, b) => a - b);
  const row = {
    base: label,
    retriever,
    // The first pass meets each question word for the first time (fuzzy-match cache cold).
    firstPassMedianMs: Number(percentile(firstPass, 50).toFixed(3)),
    firstPassP99Ms: Number(percentile(firstPass, 99).toFixed(3)),
    entries: base.entries.length,
    records: engine.retriever.recordCount,
    buildMs: Number(buildMs.toFixed(1)),
    queries: times.length,
    medianMs: Number(percentile(times, 50).toFixed(3)),
    p99Ms: Number(percentile(times, 99).toFixed(3)),
    maxMs: Number(times[times.length - 1].toFixed(3)),
  };
  console.log(JSON.stringify({ ...row, outcomes }));
  return row;
}

const { base, problems } = readKnowledge(knowledgeDir);
if (problems.length > 0) {
  console.error(problems.map((p) => `${p.file}: ${p.problem}`).join('\n'));
  process.exit(2);
}

let questions = [];
if (fs.existsSync(evalFile)) questions = parseEvalFile(fs.readFileSync(evalFile, 'utf8')).cases.map((c) => c.question);
if (questions.length === 0) questions = base.entries.flatMap((e) => e.questions);
if (questions.length === 0) questions = ['c quoi le délai max pour passer le ccp1 ?', 'jury', 'comment poser mes congés'];

const real = measure('réelle', base, questions);
measure('réelle', base, questions, 2, 'fuse');

// Synthetic base: 5,000 entries whose phrasings mix the real vocabulary, so term statistics stay realistic.
const next = random(42);
const vocabulary = [...new Set(base.entries.flatMap((e) => [e.title, ...e.questions]).join(' ').split(/\s+/).filter((w) => w.length > 2))];
if (vocabulary.length < 50) vocabulary.push(...'certification examen jury dossier pix ccp1 délai convocation formation résultat'.split(' '));
const pick = () => vocabulary[Math.floor(next() * vocabulary.length)];
const phrase = (n) => Array.from({ length: n }, pick).join(' ');
const template = base.entries[0];
const entries = Array.from({ length: 5000 }, (_, i) => ({
  ...(template ?? { topic: 'certification', route: 'organisme-formation', sources: [], reviewed: '2026-01-01', body: 'x' }),
  id: `synthetic-${i}`,
  title: `${phrase(6)} ?`,
  questions: Array.from({ length: 6 }, () => phrase(3 + Math.floor(next() * 6))),
  file: `synthetic/${i}.md`,
}));
const synthetic = { entries, byId: new Map(entries.map((e) => [e.id, e])), glossary: base.glossary, seeds: base.seeds };
const syntheticRow = measure('synthétique', synthetic, questions, 1);

const ok = real.medianMs < 1 && real.p99Ms < 5;
console.log(
  `\nBase réelle : médiane ${real.medianMs} ms, p99 ${real.p99Ms} ms (cibles : < 1 ms et < 5 ms) ${ok ? 'OK' : 'HORS CIBLE'}` +
    `\n  premier passage (cache froid) : médiane ${real.firstPassMedianMs} ms, p99 ${real.firstPassP99Ms} ms` +
    `\nBase synthétique (5 000 fiches) : construction ${syntheticRow.buildMs} ms, médiane ${syntheticRow.medianMs} ms, p99 ${syntheticRow.p99Ms} ms`,
);
process.exitCode = ok ? 0 : 1;
