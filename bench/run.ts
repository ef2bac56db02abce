// `npm run bench`: start-up, a full step and its floor, measured side by side in one run (medians).
// Not part of `npm test`: timings belong here, never in assertions.
import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'node:https';
import { startEmulator, type Emulator } from '../test/emulator/index.ts';
import { emulatorInputs, newJob, newMachine, type Machine } from '../test/harness/machine.ts';
import { ROOT } from '../test/harness/runner.ts';
import { machineFacts, writeResults, type BenchResults } from './results.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 9);
const CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;
/** Where the results go; the docs quote them (bench/results.ts). BENCH_OUT=- writes none. */
const OUT = process.env['BENCH_OUT'] ?? join(ROOT, 'docs', 'bench.json');
const TARGETS: BenchResults['targets'] = { cold: 1.3, step: 1.3, images: 1.15, sequential: 1.75, mainKb: 400 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs a command; resolves with ms to its first stdout byte and ms to its exit. */
function timed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
): Promise<{ first: number; exit: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = NaN;
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.once('data', () => (first = performance.now() - start));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ first, exit: performance.now() - start, code }));
    child.stdin.end(input);
  });
}

async function chain(steps: Command[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  for (const [cmd, args, input] of steps) {
    const r = await timed(cmd, args, env, input);
    // A logout of an entry another containers tool already removed answers "not logged in": fine here.
    if (r.code !== 0 && args[0] === 'login') throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}`);
  }
  return performance.now() - start;
}

async function iamRoundTrip(emu: Emulator): Promise<number> {
  // A fresh connection each time, as a step makes one: TLS handshake included.
  const ca = await readFile(emu.caFile, 'utf8');
  const body = new URLSearchParams({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: emu.keys.user.key }).toString();
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = request(
      `${emu.iamUrl}/identity/token`,
      { method: 'POST', ca, agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  return performance.now() - start;
}

type Command = [string, string[], string?];
const step = (emu: Emulator, verb: 'login' | 'logout', client: string, host: string): Command =>
  verb === 'login'
    ? [client, ['login', '--username', 'iamapikey', '--password-stdin', host], `${emu.keys.user.key}\n`]
    : [client, ['logout', host]];

/** The floor's chains: per credentials file, one direct login (or logout) per host, by the client that writes it. */
function floorChains(emu: Emulator, verb: 'login' | 'logout'): Command[][] {
  return [emu.hosts.map((h) => step(emu, verb, 'docker', h)), emu.hosts.map((h) => step(emu, verb, 'skopeo', h))];
}

/** One chain per client, each client's own logins (or logouts) across the hosts, as if none shared a file. */
function perClientChains(emu: Emulator, verb: 'login' | 'logout'): Command[][] {
  return CLIENTS.map((c) => emu.hosts.map((h) => step(emu, verb, c, h)));
}

/** What a chain of single-client steps runs: every client into every host, one after another. */
function everyCommand(emu: Emulator, verb: 'login' | 'logout'): Command[] {
  return emu.hosts.flatMap((h) => CLIENTS.map((c) => step(emu, verb, c, h)));
}

/** Bytes of a bundle and of every chunk it imports statically (import() is loaded later, when a path needs it). */
async function loadedAtStart(file: string, seen = new Set<string>()): Promise<number> {
  if (seen.has(file)) return 0;
  seen.add(file);
  const text = await readFile(file, 'utf8');
  let bytes = Buffer.byteLength(text);
  for (const m of text.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w{}*,\s$]*from\s*)?"(\.[^"]+\.js)"/g)) {
    bytes += await loadedAtStart(join(dirname(file), m[1]!), seen);
  }
  return bytes;
}

async function sizeOfTree(dir: string, ext: string): Promise<number> {
  const names = await readdir(dir, { recursive: true });
  const sizes = await Promise.all(names.filter((n) => n.endsWith(ext)).map(async (n) => (await stat(join(dir, n))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  const machineAtStart = await machineFacts(CLIENTS);
  const emu = await startEmulator({ hostCount: 2 });
  const machine: Machine = await newMachine(emu);
  // A namespace by ICR's rules (4–30 characters) in both regions, for the step with images.
  for (const region of emu.regions) emu.addNamespace(region.name, 'bench');
  const env = { ...process.env, ...machine.env };
  const nodeArgs = ['-e', "process.stdout.write('x')"];
  const rows: Record<string, number[]> = { bare: [], cold: [], step: [], images: [], floor: [], perClient: [], sequential: [], iam: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      // 1. Cold start: time to first output, ours against bare Node, back to back.
      rows['bare']!.push((await timed(process.execPath, nodeArgs, env)).first);
      const job = await newJob(machine);
      const inputs = emulatorInputs(emu, { clients: CLIENTS.join(',') });
      const coldEnv = {
        ...env,
        RUNNER_TEMP: job.runnerTemp,
        GITHUB_OUTPUT: '/dev/null',
        GITHUB_STATE: '/dev/null',
        GITHUB_STEP_SUMMARY: '/dev/null',
        GITHUB_ENV: '/dev/null',
        'INPUT_API-KEY': '',
        'INPUT_MISSING-KEY': 'skip',
      };
      rows['cold']!.push((await timed(process.execPath, [join(ROOT, 'dist', 'main.js')], coldEnv)).first);

      // 2. A full step, main then post, 4 clients × 2 hosts.
      // Timed from spawn to exit of each entry, as the floor's Node starts are: the runner's own file
      // handling around a step is not ours.
      const m = await job.main(inputs);
      const p = await job.post(m);
      rows['step']!.push(m.elapsedMs + p.elapsedMs);
      if (m.code !== 0 || p.code !== 0) throw new Error(`the step failed:\n${m.stdout}${m.stderr}`);

      // The same step checking push access to one image on both hosts (input images), side by side.
      const checking = await newJob(machine);
      const mi = await checking.main({ ...inputs, images: 'bench/app' });
      const pi = await checking.post(mi);
      if (mi.code !== 0 || pi.code !== 0) throw new Error(`the step with images failed:\n${mi.stdout}${mi.stderr}`);
      rows['images']!.push(mi.elapsedMs + pi.elapsedMs);

      // The floor: two bare Node starts + one IAM round trip + the longest per-file chains, by hand.
      const bareExit = [(await timed(process.execPath, ['-e', '0'], env)).exit, (await timed(process.execPath, ['-e', '0'], env)).exit];
      const iam = await iamRoundTrip(emu);
      rows['iam']!.push(iam);
      const loginChains = [];
      for (const c of floorChains(emu, 'login')) loginChains.push(await chain(c, env));
      const logoutChains = [];
      for (const c of floorChains(emu, 'logout')) logoutChains.push(await chain(c, env));
      rows['floor']!.push(bareExit[0]! + bareExit[1]! + iam + Math.max(...loginChains) + Math.max(...logoutChains));
      const clientLogins = [];
      for (const c of perClientChains(emu, 'login')) clientLogins.push(await chain(c, env));
      const clientLogouts = [];
      for (const c of perClientChains(emu, 'logout')) clientLogouts.push(await chain(c, env));
      rows['perClient']!.push(bareExit[0]! + bareExit[1]! + iam + Math.max(...clientLogins) + Math.max(...clientLogouts));

      // 3. The eight direct logins and eight logouts one after another.
      rows['sequential']!.push((await chain(everyCommand(emu, 'login'), env)) + (await chain(everyCommand(emu, 'logout'), env)));
    }
  } finally {
    await emu.stop();
  }

  const med = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)])) as BenchResults['medians'];
  // What each entry loads before its first line (itself and the chunks it imports statically), and all of dist/.
  const bundles: Record<string, number> = {};
  for (const entry of ['main.js', 'post.js', 'cli.js']) bundles[entry] = await loadedAtStart(join(ROOT, 'dist', entry));
  bundles['dist'] = await sizeOfTree(join(ROOT, 'dist'), '.js');
  const sizes = Object.entries(bundles).map(([f, bytes]) => `${f} ${(bytes / 1024).toFixed(1)} KB`);
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  const mainKb = (bundles['main.js'] ?? 0) / 1024;
  const t = TARGETS;
  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}; ${RUNS} runs, medians`,
    `cold start   ${ms(med['cold'])} vs bare Node ${ms(med['bare'])}: ${(med['cold'] / med['bare']).toFixed(2)} × (target ≤ ${t.cold} ×)`,
    `full step    ${ms(med['step'])} (main + post, 4 clients × 2 hosts) vs floor ${ms(med['floor'])}: ${(med['step'] / med['floor']).toFixed(2)} × (target ≤ ${t.step} ×)`,
    `with images  ${ms(med['images'])} (the same step checking push access to 1 image on both hosts): ${(med['images'] / med['step']).toFixed(2)} × the step without (target ≤ ${t.images} ×)`,
    `             a looser floor, with one chain per client instead of per file: ${ms(med['perClient'])}: ${(med['step'] / med['perClient']).toFixed(2)} ×`,
    `             sequential sum ${ms(med['sequential'])}: the step is ${(med['sequential'] / med['step']).toFixed(2)} × faster (target ≥ ${t.sequential} ×); the floor is ${(med['sequential'] / med['floor']).toFixed(2)} × faster`,
    `             one IAM round trip ${ms(med['iam'])}`,
    `bundles      ${sizes.join(', ')} (main target ≤ ${t.mainKb} KB: ${mainKb <= t.mainKb ? 'met' : 'MISSED'})`,
  ];
  console.log(lines.join('\n'));
  if (OUT !== '-') {
    const round = (n: number): number => Math.round(n * 10) / 10;
    const medians = Object.fromEntries(Object.entries(med).map(([k, v]) => [k, round(v)])) as BenchResults['medians'];
    const date = new Date().toISOString().slice(0, 10);
    await writeResults(OUT, { date, machine: machineAtStart, runs: RUNS, targets: TARGETS, medians, bundles });
    console.log(`results written to ${OUT}`);
  }
}

await main();
