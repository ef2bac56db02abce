import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // Each file starts its own emulator and registry; two cores run two files at once.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './test/harness/count-reporter.ts'],
    // After every test, a leak scan of everything its jobs printed and left.
    setupFiles: ['./test/harness/leak-guard.ts'],
  },
});
