// Running a client: arguments without secrets, the secret on stdin, a time limit that holds for the
// client and everything it started. Process adapter.
import { spawn } from 'node:child_process';
import { OUTPUT_GRACE_MS } from '../lib/limits.ts';
import { GROUPS, killGroup, type ProcessGroups } from './groups.ts';

export interface RunOptions {
  /** Written to stdin, then stdin is closed. The only way a secret reaches a child. */
  readonly input?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** The step's process groups: told of this one, and able to stop it when the step is cancelled. */
  readonly groups?: ProcessGroups;
}

export interface RunResult {
  /** Exit code; null when the process could not start or was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Why it could not start (ENOENT, EACCES), if it could not. */
  readonly startError: string | undefined;
}

export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const groups = options.groups;
  if (groups?.isStopping) return Promise.resolve({ code: null, stdout: '', stderr: '', timedOut: false, startError: 'step cancelled' });
  return new Promise((resolve) => {
    // Its own process group: a time limit or a cancelled step kills the client and all it started.
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, detached: GROUPS });
    const pgid = child.pid;
    if (pgid) groups?.started(pgid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let startError: string | undefined;
    let exitCode: number | null = null;
    let grace: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(grace);
      if (pgid) {
        if (groups) groups.ended(pgid);
        else killGroup(pgid);
      }
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        code: startError || timedOut ? null : exitCode,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        startError,
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      if (pgid && GROUPS) killGroup(pgid);
      else child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // A client that exits before reading stdin closes the pipe; that is its answer, not our error.
    child.stdin.on('error', () => {});
    child.on('error', (e: NodeJS.ErrnoException) => {
      startError = e.code ?? e.message;
      if (!pgid) finish();
    });
    child.on('exit', (code) => {
      exitCode = code;
      grace = setTimeout(finish, OUTPUT_GRACE_MS);
    });
    child.on('close', (code) => {
      exitCode ??= code;
      finish();
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Our environment minus the named variables and any variable whose value holds a secret. */
export function childEnv(env: NodeJS.ProcessEnv, dropNames: readonly string[], secrets: readonly string[]): NodeJS.ProcessEnv {
  const drop = new Set(dropNames.map((n) => n.toUpperCase()));
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || drop.has(name.toUpperCase())) continue;
    if (secrets.some((s) => s.length >= 8 && value.includes(s))) continue;
    result[name] = value;
  }
  return result;
}
