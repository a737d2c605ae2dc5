import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fault scenarios take minutes (a 30 s outage, SIGKILLed child processes): `npm run test:faults` runs them.
    exclude: [...configDefaults.exclude, ...(process.env.CERTIF_FAULTS ? [] : ['test/faults/**'])],
    // Dates in tests are pinned to Paris time, like the bot in production.
    env: { TZ: 'Europe/Paris' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
