// The e2e project's global setup: bundles dist/ from src/ before any test runs it, so no test ever
// exercises stale code. The same script `npm run bundle` runs.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './runner.ts';

export default function setup(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
