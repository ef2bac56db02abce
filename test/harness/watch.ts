// What a test started: the emulators (whose secrets a leak scan looks for), the jobs (whose every step
// and file it scans), other processes' output (the CLI's runs) and secrets of the test's own. Plain
// collections, free of vitest, so the harness can fill them anywhere; leak-guard.ts scans them all.
import type { Job } from './runner.ts';

export interface SecretSource {
  secrets(): string[];
  readonly profileId: string;
}

export const watched = {
  emulators: new Set<SecretSource>(),
  jobs: new Set<Job>(),
  /** What processes other than a Job's steps printed (a CLI run), by a label for the report. */
  texts: [] as { readonly label: string; readonly text: string }[],
  /** Secrets only the test knows (a user's earlier password): looked for as the emulators' are. */
  secrets: new Set<string>(),
};
