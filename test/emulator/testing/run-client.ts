// Runs a program (a container CLI, or a bundle of ours under Node) with stdin input and a clean env,
// capturing output and wall time; the one spawn-and-capture of the test bed; on timeout it kills that child by PID so no process outlives a test.
import { spawn } from 'node:child_process';

export interface ClientResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  elapsedMs: number;
}

export interface RunOptions {
  env: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
}

export function runClient(command: string, args: string[], options: RunOptions): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
    child.stdin.on('error', () => undefined); // the client may exit before reading stdin
    child.stdin.end(options.input ?? '');
  });
}
