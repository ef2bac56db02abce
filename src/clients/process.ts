// Running a client: arguments without secrets, the secret on stdin, a time limit. Process adapter.
import { spawn } from 'node:child_process';

export interface RunOptions {
  /** Written to stdin, then stdin is closed. The only way a secret reaches a child. */
  readonly input?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
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
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let startError: string | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // A client that exits before reading stdin closes the pipe; that is its answer, not our error.
    child.stdin.on('error', () => {});
    child.on('error', (e: NodeJS.ErrnoException) => {
      startError = e.code ?? e.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: startError || timedOut ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        startError,
      });
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
