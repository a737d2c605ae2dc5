// Prints the number of cases run by `npm run test:fuzz` that reached the code under test (each property appends its
// count to the file given as argument; cases refused before it, skipped with fc.pre, are not counted) and fails under
// the floor of 10,000 cases.
import { readFileSync, rmSync } from 'node:fs';

const MINIMUM = 10_000;
const file = process.argv[2];
if (!file) {
  console.error('usage: node test/fuzz/total.mjs <count file>');
  process.exit(2);
}
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));
rmSync(file, { force: true });
const byProperty = {};
for (const { property, runs } of rows) byProperty[property] = (byProperty[property] ?? 0) + runs;
const total = Object.values(byProperty).reduce((sum, runs) => sum + runs, 0);
console.table(Object.entries(byProperty).map(([property, cases]) => ({ property, cases })));
console.log(`fuzz: ${total} cases that reached the code under test, over ${Object.keys(byProperty).length} properties (floor ${MINIMUM})`);
process.exit(total >= MINIMUM ? 0 : 1);
