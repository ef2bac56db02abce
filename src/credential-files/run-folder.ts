// Main's private folder under RUNNER_TEMP: the only folder post ever deletes. Its name carries main's
// random run id and a marker file inside holds it again, so post can tell the folder is main's own
// and not a path an earlier step slipped into the state.
import { tmpdir } from 'node:os';
import { mkdir, realpath, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { errnoCode, UserError } from '../lib/errors.ts';
import { writePrivateFile } from './private-files.ts';

const MARKER = '.icr-login-run';

/** The temp folder of the job (RUNNER_TEMP on GitHub) or the machine (TMPDIR elsewhere). */
export const runnerTemp = (env: NodeJS.ProcessEnv): string => env['RUNNER_TEMP'] || tmpdir();

/** Runs a file-system step under the temp folder, turning its failure into one sentence. */
export async function inRunnerTemp<T>(dir: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new UserError(
      `Could not ${what} under ${dir} (${errnoCode(error, 'an error')}); check that the temp folder (RUNNER_TEMP on GitHub, TMPDIR elsewhere) exists and is writable.`,
      'RUNNER_TEMP',
    );
  }
}

export const runFolderPath = (runnerTemp: string, run: string): string => join(runnerTemp, `icr-login-${run}`);

/** Creates the folder (0700; it must not exist yet) and its marker. */
export async function createRunFolder(runnerTemp: string, run: string): Promise<string> {
  await mkdir(runnerTemp, { recursive: true });
  const dir = runFolderPath(runnerTemp, run);
  await mkdir(dir, { mode: 0o700 });
  await writePrivateFile(join(dir, MARKER), run);
  return dir;
}

/** Whether `path` is `dir` or lies inside it, once links are resolved (false when either is missing). */
export async function liesIn(path: string, dir: string): Promise<boolean> {
  const [p, d] = await Promise.all([realpath(path).catch(() => ''), realpath(dir).catch(() => '')]);
  if (!p || !d) return false;
  const rel = relative(d, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Main's folder for this run, or undefined when it is gone or not provably main's. */
export async function verifiedRunFolder(runnerTemp: string, run: string): Promise<string | undefined> {
  const dir = runFolderPath(runnerTemp, run);
  const real = await realpath(dir).catch(() => '');
  if (!real || basename(real) !== basename(dir) || !(await liesIn(dirname(real), runnerTemp))) return undefined;
  const marker = await readFile(join(real, MARKER), 'utf8').catch(() => '');
  return marker === run ? real : undefined;
}

/** Whether the run that owns this folder is still under way: main made it and post has not removed it. */
export async function runIsLive(dir: string, run: string): Promise<boolean> {
  return (await readFile(join(dir, MARKER), 'utf8').catch(() => '')) === run;
}
