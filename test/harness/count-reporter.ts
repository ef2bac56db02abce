// Ends the run with a plain `tests: N passed, N failed` line that any CI can read. When
// ICR_LOGIN_COUNT_FILE is set (scripts/run.mjs sets it, as npm test runs vitest more than once), the
// counts are appended to that file as a JSON line instead, and run.mjs prints the one closing line for all runs.
import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    const counts = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    const file = process.env['ICR_LOGIN_COUNT_FILE'];
    if (file) {
      appendFileSync(file, `${JSON.stringify({ passed, failed, skipped })}\n`);
      process.stdout.write(`\n(this vitest run: ${counts})\n`);
    } else {
      process.stdout.write(`\ntests: ${counts}\n`);
    }
  }
}
