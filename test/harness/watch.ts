// What a test started: the emulators (whose secrets a leak scan looks for) and the jobs (whose every
// step and file it scans). Plain arrays, free of vitest, so the runner harness can fill them anywhere.
import type { Job } from './runner.ts';

export interface SecretSource {
  secrets(): string[];
  readonly profileId: string;
}

export const watched = { emulators: new Set<SecretSource>(), jobs: new Set<Job>() };
