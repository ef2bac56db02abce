// Runs after every test: every step of every job the test ran, and every file those jobs left, is
// scanned for every secret of every emulator in play. A test cannot forget its leak scan.
import { afterEach, expect } from 'vitest';
import { fileLeaks, secretForms, stepLeaks } from './leaks.ts';
import { watched } from './watch.ts';

afterEach(async () => {
  const jobs = [...watched.jobs];
  watched.jobs.clear();
  if (jobs.length === 0) return;
  const emulators = [...watched.emulators];
  const forms = secretForms(
    emulators.flatMap((e) => e.secrets()),
    emulators.map((e) => e.profileId),
  );
  const leaks: string[] = [];
  for (const job of jobs) {
    for (const step of job.steps) leaks.push(...stepLeaks(step, forms));
    leaks.push(...(await fileLeaks(job.dir, forms)));
  }
  expect(leaks, 'secrets in step output or job files').toEqual([]);
});
