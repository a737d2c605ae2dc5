// `npm run test:mutation [-- word…]`: mutation testing of the modules listed in stryker.config.mjs, one module at a
// time against its own tests, then a table module | killed/total | survived | score. Exits 1 when a module is below
// its floor (or when Stryker could not run it). Equivalent mutants listed in the config are left out of the counts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import baseOptions, { equivalentMutants, modules } from '../../stryker.config.mjs';

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const squash = (text) => text.replace(/\s+/g, ' ').trim();

/** The source text a mutant replaces; its location has 1-based lines and columns, `end` exclusive. */
function originalCode(source, { start, end }) {
  const lines = source.split('\n');
  const first = lines[start.line - 1] ?? '';
  if (start.line === end.line) return first.slice(start.column - 1, end.column - 1);
  return [first.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), (lines[end.line - 1] ?? '').slice(0, end.column - 1)].join('\n');
}

function describeMutant(mutant, original) {
  const where = `${path.relative(process.cwd(), mutant.fileName)}:${mutant.location.start.line}:${mutant.location.start.column}`;
  const shorten = (text) => (text.length > 90 ? `${text.slice(0, 87)}...` : text);
  return `${where} ${mutant.mutatorName} [${mutant.status}]: ${shorten(squash(original))} -> ${shorten(squash(mutant.replacement))}`;
}

async function runModule(module) {
  const slug = module.mutate.replace(/^src\//, '').replace(/\.ts$/, '').replaceAll('/', '-');
  // The test files go to the vitest configuration (test/mutation/vitest.config.ts), which the workers inherit.
  process.env.MUTATION_TEST_FILES = module.tests.join(',');
  const stryker = new Stryker({
    ...baseOptions,
    mutate: [module.mutate],
    jsonReporter: { fileName: `reports/mutation/${slug}.json` },
  });
  const results = await stryker.runMutationTest();
  const source = readFileSync(module.mutate, 'utf8');
  const listed = equivalentMutants.filter((entry) => path.normalize(entry.file) === path.normalize(module.mutate));
  const used = new Set();
  const row = { module: module.mutate, killed: 0, total: 0, survived: [], equivalent: 0, errors: 0, warnings: [] };
  const sourceLines = source.split('\n');
  for (const mutant of results) {
    const original = originalCode(source, mutant.location);
    const line = squash(sourceLines[mutant.location.start.line - 1] ?? '');
    const previous = squash(sourceLines[mutant.location.start.line - 2] ?? '');
    const entry = listed.find(
      (candidate) =>
        candidate.mutator === mutant.mutatorName &&
        squash(candidate.original) === squash(original) &&
        squash(candidate.replacement) === squash(mutant.replacement) &&
        (candidate.line === undefined || squash(candidate.line) === line) &&
        (candidate.previous === undefined || squash(candidate.previous) === previous),
    );
    if (entry) used.add(entry);
    if (entry && UNDETECTED.has(mutant.status)) {
      row.equivalent += 1;
      continue;
    }
    if (entry) row.warnings.push(`listed as equivalent but ${mutant.status}: ${describeMutant(mutant, original)}`);
    if (DETECTED.has(mutant.status)) {
      row.killed += 1;
      row.total += 1;
    } else if (UNDETECTED.has(mutant.status)) {
      row.survived.push(describeMutant(mutant, original));
      row.total += 1;
    } else {
      // CompileError, RuntimeError, Ignored: not a test's job.
      row.errors += 1;
    }
  }
  for (const entry of listed) {
    if (!used.has(entry)) row.warnings.push(`stale equivalent entry (no such mutant): ${entry.mutator} ${entry.original} -> ${entry.replacement}`);
  }
  row.score = row.total === 0 ? 100 : (100 * row.killed) / row.total;
  row.floor = module.floor;
  return row;
}

const words = process.argv.slice(2);
const selected = words.length === 0 ? modules : modules.filter((module) => words.some((word) => module.mutate.includes(word)));
if (selected.length === 0) {
  console.error(`No module matches ${words.join(', ')}. Modules: ${modules.map((module) => module.mutate).join(', ')}`);
  process.exit(2);
}

const rows = [];
for (const module of selected) {
  console.log(`\n=== ${module.mutate} (${module.tests.join(', ')})`);
  const started = Date.now();
  try {
    const row = await runModule(module);
    row.seconds = Math.round((Date.now() - started) / 1000);
    rows.push(row);
    for (const line of row.survived) console.log(`  survived: ${line}`);
    for (const line of row.warnings) console.log(`  warning: ${line}`);
  } catch (error) {
    console.error(`  Stryker failed on ${module.mutate}: ${error instanceof Error ? error.message : error}`);
    rows.push({ module: module.mutate, failed: true, floor: module.floor });
  }
}

const percent = (value) => `${Math.floor(value * 10) / 10} %`;
console.log('\n| module | killed / total | survived | score | floor | equivalent | time |');
console.log('|---|---|---|---|---|---|---|');
let failing = 0;
for (const row of rows) {
  const name = row.module.replace(/^src\/(features\/)?/, '');
  if (row.failed) {
    failing += 1;
    console.log(`| ${name} | — | — | Stryker failed | ${row.floor} % | — | — |`);
    continue;
  }
  const below = row.score < row.floor;
  // A stale or wrong entry in the list of equivalent mutants fails the run too: the list must say the truth.
  if (below || row.warnings.length > 0) failing += 1;
  console.log(
    `| ${name} | ${row.killed}/${row.total} | ${row.survived.length} | ${percent(row.score)}${below ? ' BELOW FLOOR' : ''} | ${row.floor} % | ${row.equivalent}${row.warnings.length > 0 ? ' (list out of date)' : ''} | ${row.seconds} s |`,
  );
}
if (failing > 0) {
  console.error(`\n${failing} module(s) below their floor or with an out-of-date list of equivalent mutants.`);
  process.exit(1);
}
