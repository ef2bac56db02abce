// Runs dist/ the way GitHub's runner does: action.yml defaults, INPUT_* env, the runner's files, then post with STATE_*.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { runClient, type ClientResult } from '../emulator/run-client.ts';
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
}

/** One job on one runner: a RUNNER_TEMP, a workspace, and env exported by steps carried forward. */
export class Job {
  readonly dir: string;
  readonly runnerTemp: string;
  private readonly env: Record<string, string | undefined>;
  private readonly stepTimeoutMs: number;
  private exported: Record<string, string> = {};
  /** Every step this job ran, for the leak scan after each test. */
  readonly steps: StepRun[] = [];
  private inputs: Record<string, string> = {};

  private constructor(dir: string, options: JobOptions) {
    this.dir = dir;
    this.runnerTemp = join(dir, 'runner-temp');
    this.env = options.env;
    this.stepTimeoutMs = options.stepTimeoutMs ?? 120_000;
  }

  static async create(options: JobOptions): Promise<Job> {
    const dir = await mkdtemp(join(tmpdir(), 'icr-job-'));
    const job = new Job(dir, options);
    watched.jobs.add(job);
    await mkdir(job.runnerTemp, { recursive: true });
    await mkdir(join(dir, 'workspace'), { recursive: true });
    return job;
  }

  /** Runs the main entry with these inputs (action.yml defaults fill the rest). */
  async main(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<StepRun> {
    const yml = await loadActionYml();
    this.inputs = {};
    for (const [name, spec] of Object.entries(yml.inputs)) {
      if (spec.default !== undefined) this.inputs[name] = String(spec.default);
    }
    Object.assign(this.inputs, inputs);
    return this.step('main', yml.runs.main, {}, extraEnv);
  }

  /** Runs the post entry with the state main saved, as the runner does at the end of the job. */
  async post(main: StepRun, extraEnv: Record<string, string> = {}): Promise<StepRun> {
    const yml = await loadActionYml();
    if (!yml.runs.post) throw new Error('action.yml has no post entry');
    const state: Record<string, string> = {};
    for (const [k, v] of Object.entries(main.state)) state[`STATE_${k}`] = v;
    return this.step('post', yml.runs.post, state, extraEnv);
  }

  private async step(name: string, entry: string, state: Record<string, string>, extraEnv: Record<string, string>): Promise<StepRun> {
    const id = `${name}-${randomUUID().slice(0, 8)}`;
    const files = {
      GITHUB_OUTPUT: join(this.dir, `${id}.output`),
      GITHUB_STATE: join(this.dir, `${id}.state`),
      GITHUB_ENV: join(this.dir, `${id}.env`),
      GITHUB_STEP_SUMMARY: join(this.dir, `${id}.summary`),
      GITHUB_PATH: join(this.dir, `${id}.path`),
    };
    for (const f of Object.values(files)) await writeFile(f, '');
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
    const { code, stdout, stderr, elapsedMs } = await runNode(join(ROOT, entry), env, this.stepTimeoutMs);
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

/** Runs a bundle with this Node; kills it by PID if it outlives the limit. */
export function runNode(script: string, env: Record<string, string | undefined>, timeoutMs: number): Promise<ClientResult> {
  return runClient(process.execPath, [script], { env, timeoutMs });
}
