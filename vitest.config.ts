import { defineConfig } from 'vitest/config';
import { COVERAGE } from './test/coverage-thresholds.ts';

// Two projects: `unit` runs on Node alone (no clients, no registry, no bundle), `e2e` runs dist/ against
// real clients and the emulator, and bundles dist/ from src/ first. `npx vitest run --project unit`.
export default defineConfig({
  test: {
    // Global: one `tests: N passed` line for the whole run.
    reporters: ['default', './test/harness/count-reporter.ts'],
    // After every test, a leak scan of everything its jobs printed and left.
    setupFiles: ['./test/harness/leak-guard.ts'],
    // Coverage of src/ by the unit project (`npm test` runs it with --coverage; CI fails below these).
    // The entries and the GitHub host are thin adapters over the toolkit: the e2e project runs them.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/main.ts', 'src/post.ts', 'src/cli.ts', 'src/github/runtime.ts', 'src/steps/runtime.ts'],
      reporter: ['text-summary', ['json-summary', { file: 'coverage-summary.json' }]],
      reportsDirectory: 'coverage',
      thresholds: COVERAGE,
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/scripts/**/*.test.ts'], testTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/emulator/**/*.test.ts'],
          globalSetup: ['./test/harness/bundle-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Each file starts its own emulator and registry; two cores run two files at once.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
