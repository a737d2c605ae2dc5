import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// The vitest configuration of mutation runs: the project's, restricted to the test files of the module under test
// (MUTATION_TEST_FILES, comma-separated globs, set by test/mutation/run.mjs). The files are chosen here rather than
// with Stryker's `testFiles` option because Stryker 9.6 then activates module-level (« static ») mutants after the
// module is loaded, and reports them as survivors whatever the tests say (stryker-js issue 6144).
const files = (process.env.MUTATION_TEST_FILES ?? '').split(',').filter((file) => file.trim() !== '');
if (files.length === 0) throw new Error('MUTATION_TEST_FILES is not set: run mutation tests with `npm run test:mutation`.');

export default defineConfig({ ...base, test: { ...base.test, include: files } });
