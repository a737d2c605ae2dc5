// FAQ benchmark: per-question latency of the whole decision (input check, analyzer, lexical retriever, classifier,
// decision model, reply policy) on the real knowledge base and on a synthetic base of 5,000 entries, with, in the same
// run and on the same bases, MiniSearch (a BM25 full-text index, as a reference) and the classifier alone. Each
// question is asked once on a freshly built engine (no cache has seen it: the figure a new question costs), then
// again (warm caches: the figure of the questions people ask again and again). `kb calibrate` is timed too.
// Runs on the compiled code: `npm run bench:faq` builds first.
// Usage: node bench/faq.mjs [knowledgeDir]
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { wordsOf } from '../dist/features/faq/analyzer.js';
import { calibrate } from '../dist/features/faq/calibrate.js';
import { readCalibration } from '../dist/features/faq/calibration.js';
import { classifierTokens } from '../dist/features/faq/evidence.js';
import { createFaqEngine } from '../dist/features/faq/faq-engine.js';
import { readKnowledge } from '../dist/features/faq/knowledge-base.js';

const knowledgeDir = path.resolve(process.argv[2] ?? 'knowledge');
const TARGETS = { realMedianMs: 1, realP99Ms: 5, syntheticP99Ms: 20, calibrateMs: 60_000 };

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

const round = (value) => Number(value.toFixed(3));

/** Times `ask` on each question: the first pass (nothing seen) and a second pass (warm caches). */
function time(ask, questions) {
  const first = [];
  for (const q of questions) {
    const t0 = performance.now();
    ask(q);
    first.push(performance.now() - t0);
  }
  const again = [];
  for (const q of questions) {
    const t0 = performance.now();
    ask(q);
    again.push(performance.now() - t0);
  }
  first.sort((a, b) => a - b);
  again.sort((a, b) => a - b);
  return {
    newMedianMs: round(percentile(first, 50)),
    newP99Ms: round(percentile(first, 99)),
    repeatedMedianMs: round(percentile(again, 50)),
    repeatedP99Ms: round(percentile(again, 99)),
  };
}

function build(label, make) {
  const t0 = performance.now();
  const built = make();
  return { built, buildMs: round(performance.now() - t0), label };
}

function measureBase(name, base, questions, calibration) {
  const rows = [];
  const engine = build('politique complète', () => createFaqEngine(base, { acceptedRisk: 0.02, calibration }));
  // The engine's caches start cold: warm V8 on other text only, so that no question is seen before it is timed.
  for (const warm of ['préchauffage du moteur', 'bonjour', 'xyz abc']) engine.built.understand(warm);
  rows.push({ base: name, what: engine.label, buildMs: engine.buildMs, ...time((q) => engine.built.understand(q), questions) });

  const { analyzer, classifier } = engine.built.signals;
  rows.push({ base: name, what: 'classifieur seul', buildMs: null, ...time((q) => classifier.classify(classifierTokens(analyzer, wordsOf(q))), questions) });

  const mini = build('MiniSearch seul', () => {
    const index = new MiniSearch({ fields: ['text'], storeFields: ['entryId'], searchOptions: { fuzzy: 0.2, prefix: true } });
    let id = 0;
    index.addAll(base.entries.flatMap((entry) => [entry.title, ...entry.questions].map((text) => ({ id: id++, entryId: entry.id, text: analyzer.terms(text).join(' ') }))));
    return index;
  });
  rows.push({ base: name, what: mini.label, buildMs: mini.buildMs, ...time((q) => mini.built.search(analyzer.terms(q).join(' ')).slice(0, 5), questions) });
  for (const row of rows) console.log(JSON.stringify(row));
  return rows;
}

const { base, problems } = readKnowledge(knowledgeDir);
if (problems.length > 0) {
  console.error(problems.map((p) => `${p.file}: ${p.problem}`).join('\n'));
  process.exit(2);
}
const status = readCalibration(knowledgeDir, base);
if (status.state === 'unusable') {
  console.error(`${status.problem}\n(le banc mesure la politique complète : il lui faut la calibration)`);
  process.exit(2);
}
const calibration = { state: 'ok', calibration: status.calibration };

// Every labelled question of the base: long and short, in and out of scope.
const questions = base.labelledSets.flatMap((set) => set.cases.map((item) => item.question));
const real = measureBase('réelle', base, questions, calibration);

// Synthetic base: 5,000 entries whose phrasings mix the real vocabulary, so term statistics stay realistic.
const next = random(42);
const vocabulary = [...new Set(base.entries.flatMap((e) => [e.title, ...e.questions]).join(' ').split(/\s+/).filter((w) => w.length > 2))];
const pick = () => vocabulary[Math.floor(next() * vocabulary.length)];
const phrase = (n) => Array.from({ length: n }, pick).join(' ');
const template = base.entries[0];
const entries = Array.from({ length: 5000 }, (_, i) => ({
  ...template,
  id: `synthetic-${i}`,
  title: `${phrase(6)} ?`,
  questions: Array.from({ length: 6 }, () => phrase(3 + Math.floor(next() * 6))),
  file: `synthetic/${i}.md`,
}));
const synthetic = { ...base, entries, byId: new Map(entries.map((e) => [e.id, e])), labelledSets: [] };
const syntheticRows = measureBase('synthétique (5 000 fiches)', synthetic, questions.slice(0, 400), calibration);

const t0 = performance.now();
calibrate(base, { now: new Date() });
const calibrateMs = Math.round(performance.now() - t0);

const [whole] = real;
const [syntheticWhole] = syntheticRows;
const ratio = (rows) => rows.slice(1).map((row) => `${row.what} : médiane ${row.newMedianMs} ms, p99 ${row.newP99Ms} ms (politique complète ÷ ${row.what} : ×${(rows[0].newMedianMs / Math.max(row.newMedianMs, 0.001)).toFixed(1)} en médiane)`).join('\n  ');
const checks = [
  ['base réelle, question nouvelle, médiane', whole.newMedianMs, TARGETS.realMedianMs],
  ['base réelle, question nouvelle, p99', whole.newP99Ms, TARGETS.realP99Ms],
  ['base synthétique, question nouvelle, p99', syntheticWhole.newP99Ms, TARGETS.syntheticP99Ms],
  ['kb calibrate', calibrateMs, TARGETS.calibrateMs],
];
console.log(
  `\nBase réelle (${base.entries.length} fiches, ${questions.length} questions) : politique complète, question nouvelle : médiane ${whole.newMedianMs} ms, p99 ${whole.newP99Ms} ms ; question déjà posée : médiane ${whole.repeatedMedianMs} ms ; construction ${whole.buildMs} ms` +
    `\n  ${ratio(real)}` +
    `\nBase synthétique (5 000 fiches) : politique complète, question nouvelle : médiane ${syntheticWhole.newMedianMs} ms, p99 ${syntheticWhole.newP99Ms} ms ; construction ${syntheticWhole.buildMs} ms` +
    `\n  ${ratio(syntheticRows)}` +
    `\nkb calibrate : ${(calibrateMs / 1000).toFixed(1)} s` +
    `\n\n${checks.map(([what, value, target]) => `${value <= target ? 'OK  ' : 'HORS'} ${what} : ${value} (cible ≤ ${target})`).join('\n')}`,
);
process.exitCode = checks.every(([, value, target]) => value <= target) ? 0 : 1;
