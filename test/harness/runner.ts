// Runs dist/ the way GitHub's runner does: action.yml defaults, INPUT_* env, the runner's files, then post with STATE_*.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { watched } from './watch.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface StepRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly exported: Record<string, string>;
  readonly summary: string;
  /** Wall time from spawning the entry to its exit, as the runner would see it. */
  readonly elapsedMs: number;
  /** Raw bytes of every runner file, for leak scans. */
  readonly files: Record<string, string>;
}

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; main: string; post?: string };
}

let actionYml: ActionYml | undefined;
async function loadActionYml(): Promise<ActionYml> {
  actionYml ??= parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
  return actionYml;
}

/** Parses GITHUB_OUTPUT/STATE/ENV files: `name=value` lines and `name<<DELIM` blocks. */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const [, name, delim] = block;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      result[name!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

/** The INPUT_ variable the runner sets for an input name. */
export const inputVar = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export interface JobOptions {
  /** The job's environment (HOME, PATH, …); the runner's own variables are added. */
  readonly env: Record<string, string | undefined>;
  /** Kill a step that runs longer than this. */
  readonly stepTimeoutMs?: number;
  /** Run the steps as this user (a runner run as a service under its own account); the job's folder becomes theirs. */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/** A step still running: signal it as the runner does when a job is cancelled, then await its end. */
export interface RunningStep {
  readonly pid: number;
  signal(signal: NodeJS.Signals): void;
  readonly done: Promise<StepRun>;
}

/** One job on one runner: a RUNNER_TEMP, a workspace, and env exported by steps carried forward. */
export class Job {
  readonly dir: string;
  readonly runnerTemp: string;
  private readonly env: Record<string, string | undefined>;
  private readonly stepTimeoutMs: number;
  private readonly user: JobOptions['user'];
  private exported: Record<string, string> = {};
  /** Every step this job ran, for the leak scan after each test. */
  readonly steps: StepRun[] = [];
  private inputs: Record<string, string> = {};

  private constructor(dir: string, options: JobOptions) {
    this.dir = dir;
    this.runnerTemp = join(dir, 'runner-temp');
    this.env = options.env;
    this.stepTimeoutMs = options.stepTimeoutMs ?? 120_000;
    this.user = options.user;
  }

  static async create(options: JobOptions): Promise<Job> {
    const dir = await mkdtemp(join(tmpdir(), 'icr-job-'));
    const job = new Job(dir, options);
    watched.jobs.add(job);
    await mkdir(job.runnerTemp, { recursive: true });
    await mkdir(join(dir, 'workspace'), { recursive: true });
    if (options.user) for (const d of [dir, job.runnerTemp, join(dir, 'workspace')]) await chown(d, options.user.uid, options.user.gid);
    return job;
  }

  /** Runs the main entry with these inputs (action.yml defaults fill the rest). */
  async main(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<StepRun> {
    return (await this.startMain(inputs, extraEnv)).done;
  }

  /** Starts the main entry and hands it back running, to be signalled. */
  async startMain(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<RunningStep> {
    const yml = await loadActionYml();
    this.inputs = {};
    for (const [name, spec] of Object.entries(yml.inputs)) {
      if (spec.default !== undefined) this.inputs[name] = String(spec.default);
    }
    Object.assign(this.inputs, inputs);
    return this.start('main', yml.runs.main, {}, extraEnv);
  }

  /** Runs the post entry with the state main saved, as the runner does at the end of the job. */
  async post(main: StepRun, extraEnv: Record<string, string> = {}): Promise<StepRun> {
    const yml = await loadActionYml();
    if (!yml.runs.post) throw new Error('action.yml has no post entry');
    const state: Record<string, string> = {};
    for (const [k, v] of Object.entries(main.state)) state[`STATE_${k}`] = v;
    return (await this.start('post', yml.runs.post, state, extraEnv)).done;
  }

  private async start(name: string, entry: string, state: Record<string, string>, extraEnv: Record<string, string>): Promise<RunningStep> {
    const id = `${name}-${randomUUID().slice(0, 8)}`;
    const files = {
      GITHUB_OUTPUT: join(this.dir, `${id}.output`),
      GITHUB_STATE: join(this.dir, `${id}.state`),
      GITHUB_ENV: join(this.dir, `${id}.env`),
      GITHUB_STEP_SUMMARY: join(this.dir, `${id}.summary`),
      GITHUB_PATH: join(this.dir, `${id}.path`),
    };
    for (const f of Object.values(files)) {
      await writeFile(f, '');
      if (this.user) await chown(f, this.user.uid, this.user.gid);
    }
    const inputEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.inputs)) inputEnv[inputVar(k)] = v;
    const env: Record<string, string | undefined> = {
      ...this.env,
      ...this.exported,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: this.runnerTemp,
      GITHUB_WORKSPACE: join(this.dir, 'workspace'),
      GITHUB_ACTION: 'icr-login',
      ...files,
      ...inputEnv,
      ...state,
      ...extraEnv,
    };
    const node = startNode(join(ROOT, entry), env, this.stepTimeoutMs, this.user);
    return { pid: node.pid, signal: (sig) => process.kill(node.pid, sig), done: node.done.then((r) => this.collect(files, r)) };
  }

  private async collect(
    files: Record<string, string>,
    { code, stdout, stderr, elapsedMs }: { code: number | null; stdout: string; stderr: string; elapsedMs: number },
  ): Promise<StepRun> {
    const raw: Record<string, string> = {};
    for (const [k, f] of Object.entries(files)) raw[k] = await readFile(f, 'utf8');
    const exported = parseCommandFile(raw['GITHUB_ENV'] ?? '');
    Object.assign(this.exported, exported);
    const run: StepRun = {
      code,
      stdout,
      stderr,
      outputs: parseCommandFile(raw['GITHUB_OUTPUT'] ?? ''),
      state: parseCommandFile(raw['GITHUB_STATE'] ?? ''),
      exported,
      summary: raw['GITHUB_STEP_SUMMARY'] ?? '',
      elapsedMs,
      files: raw,
    };
    this.steps.push(run);
    return run;
  }
}

interface NodeRun {
  readonly pid: number;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string; elapsedMs: number }>;
}

/** Runs a bundle with this Node; kills it by PID if it outlives the limit. */
export function runNode(script: string, env: Record<string, string | undefined>, timeoutMs: number): NodeRun['done'] {
  return startNode(script, env, timeoutMs).done;
}

function startNode(script: string, env: Record<string, string | undefined>, timeoutMs: number, user?: JobOptions['user']): NodeRun {
  const started = performance.now();
  const child = spawn(process.execPath, [script], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], ...user });
  const done: NodeRun['done'] = new Promise((resolvePromise, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const elapsedMs = performance.now() - started;
      resolvePromise({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), elapsedMs });
    });
  });
  return { pid: child.pid!, done };
}
