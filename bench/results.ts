// The bench's results as a file: docs/bench.json holds the medians of the last `npm run bench` whose
// figures the docs quote, with the machine they came from. scripts/docs.mjs renders docs/performance.md's
// table from it, and test/unit/docs.test.ts checks every figure a page quotes against it.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';

export interface BenchResults {
  /** The day of the run, YYYY-MM-DD. */
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpu: string;
    readonly memoryGiB: number;
    readonly os: string;
    readonly node: string;
    /** Each client's own `--version` line. */
    readonly clients: Record<string, string>;
    /** The 1-minute load average when the bench started: other work on the machine shows here. */
    readonly load: number;
  };
  readonly runs: number;
  /** What the issue asks of each ratio (≤ for the first three, ≥ for sequential), and of main.js in KB. */
  readonly targets: {
    readonly cold: number;
    readonly step: number;
    readonly images: number;
    readonly sequential: number;
    readonly mainKb: number;
  };
  /** Medians in milliseconds, rounded to 0.1 ms. */
  readonly medians: Record<'bare' | 'cold' | 'step' | 'images' | 'floor' | 'perClient' | 'sequential' | 'iam', number>;
  /** Size in bytes of each bundle in dist/. */
  readonly bundles: Record<string, number>;
}

const run = promisify(execFile);

async function versionOf(client: string): Promise<string> {
  try {
    const { stdout } = await run(client, ['--version'], { timeout: 10_000 });
    return stdout.trim().split('\n')[0] ?? '';
  } catch {
    return 'not found';
  }
}

async function osName(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? process.platform;
}

/** The machine as the bench saw it when it started. */
export async function machineFacts(clients: readonly string[]): Promise<BenchResults['machine']> {
  const load = loadavg()[0] ?? 0;
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'cpu',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: await osName(),
    node: process.versions.node,
    clients: Object.fromEntries(await Promise.all(clients.map(async (c) => [c, await versionOf(c)] as const))),
    load: Math.round(load * 100) / 100,
  };
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}
