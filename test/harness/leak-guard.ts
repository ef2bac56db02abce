// The leak scan, the only one: after every test, every step of every job the test ran, every file those
// jobs left and every other process output the test registered is scanned for every secret of every
// emulator in play (and the test's own), and for stack traces. A test cannot forget its leak scan.
import { afterEach, expect } from 'vitest';
import { fileLeaks, leaksIn, secretForms, stepLeaks } from './leaks.ts';
import { watched } from './watch.ts';

/** A stack frame as Node prints it: what no message of ours may carry. */
const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$/m;

afterEach(async () => {
  const jobs = [...watched.jobs];
  const texts = watched.texts.splice(0);
  const extra = [...watched.secrets];
  watched.jobs.clear();
  watched.secrets.clear();
  if (jobs.length === 0 && texts.length === 0) return;
  const emulators = [...watched.emulators];
  const forms = secretForms(
    [...emulators.flatMap((e) => e.secrets()), ...extra],
    emulators.map((e) => e.profileId),
  );
  const leaks: string[] = [];
  const traces: string[] = [];
  for (const job of jobs) {
    for (const step of job.steps) {
      leaks.push(...stepLeaks(step, forms));
      if (STACK_FRAME.test(`${step.stdout}\n${step.stderr}`)) traces.push(`${job.dir}: a step printed a stack trace`);
    }
    leaks.push(...(await fileLeaks(job.dir, forms)));
  }
  for (const { label, text } of texts) {
    for (const line of leaksIn(text, forms)) leaks.push(`${label}: ${line.slice(0, 120)}`);
    if (STACK_FRAME.test(text)) traces.push(`${label}: a stack trace`);
  }
  expect(leaks, 'secrets in step output or job files').toEqual([]);
  expect(traces, 'stack traces in what the action printed').toEqual([]);
});
