// `npm run bench`: start-up, a full step and its floor, measured side by side in one run (medians).
// Not part of `npm test`: timings belong here, never in assertions.
import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { startEmulator, type Emulator } from '../test/emulator/index.ts';
import { emulatorInputs, newJob, newMachine, type Machine } from '../test/harness/machine.ts';
import { ROOT } from '../test/harness/runner.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 9);
const CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs a command; resolves with ms to its first stdout byte and ms to its exit. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<{ first: number; exit: number; code: number | null }> {
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

async function chain(steps: [string, string[], string?][], env: NodeJS.ProcessEnv): Promise<number> {
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
  const agent = new Agent({ connect: { ca: await readFile(emu.caFile, 'utf8') } });
  const start = performance.now();
  const res = await undiciFetch(`${emu.iamUrl}/identity/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: emu.keys.user.key }).toString(),
    dispatcher: agent,
  });
  await res.text();
  const ms = performance.now() - start;
  await agent.close();
  return ms;
}

function directChains(emu: Emulator, verb: 'login' | 'logout'): { docker: [string, string[], string?][]; containers: [string, string[], string?][] } {
  const step = (client: string, host: string): [string, string[], string?] =>
    verb === 'login' ? [client, ['login', '--username', 'iamapikey', '--password-stdin', host], `${emu.keys.user.key}\n`] : [client, ['logout', host]];
  return {
    docker: emu.hosts.map((h) => step('docker', h)),
    containers: emu.hosts.flatMap((h) => ['podman', 'buildah', 'skopeo'].map((c) => step(c, h))),
  };
}

async function main(): Promise<void> {
  const emu = await startEmulator({ hostCount: 2 });
  const machine: Machine = await newMachine(emu);
  const env = { ...process.env, ...machine.env };
  const nodeArgs = ['-e', "process.stdout.write('x')"];
  const rows: Record<string, number[]> = { bare: [], cold: [], step: [], floor: [], sequential: [], iam: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      // 1. Cold start: time to first output, ours against bare Node, back to back.
      rows['bare']!.push((await timed(process.execPath, nodeArgs, env)).first);
      const job = await newJob(machine);
      const inputs = emulatorInputs(emu, { clients: CLIENTS.join(',') });
      const coldEnv = { ...env, RUNNER_TEMP: job.runnerTemp, GITHUB_OUTPUT: '/dev/null', GITHUB_STATE: '/dev/null', GITHUB_STEP_SUMMARY: '/dev/null', GITHUB_ENV: '/dev/null', 'INPUT_API-KEY': '', 'INPUT_MISSING-KEY': 'skip' };
      rows['cold']!.push((await timed(process.execPath, [join(ROOT, 'dist', 'main.js')], coldEnv)).first);

      // 2. A full step, main then post, 4 clients × 2 hosts.
      const start = performance.now();
      const m = await job.main(inputs);
      const p = await job.post(m);
      rows['step']!.push(performance.now() - start);
      if (m.code !== 0 || p.code !== 0) throw new Error(`the step failed:\n${m.stdout}${m.stderr}`);

      // The floor: two bare Node starts + one IAM round trip + the longest per-file chains, by hand.
      const bareExit = [(await timed(process.execPath, ['-e', '0'], env)).exit, (await timed(process.execPath, ['-e', '0'], env)).exit];
      const iam = await iamRoundTrip(emu);
      rows['iam']!.push(iam);
      const logins = directChains(emu, 'login');
      const logouts = directChains(emu, 'logout');
      const loginChains = [await chain(logins.docker, env), await chain(logins.containers, env)];
      const logoutChains = [await chain(logouts.docker, env), await chain(logouts.containers, env)];
      rows['floor']!.push(bareExit[0]! + bareExit[1]! + iam + Math.max(...loginChains) + Math.max(...logoutChains));

      // 3. The eight logins and logouts one after another.
      rows['sequential']!.push(await chain([...logins.docker, ...logins.containers], env) + (await chain([...logouts.docker, ...logouts.containers], env)));
    }
  } finally {
    await emu.stop();
  }

  const med = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const sizes = await Promise.all(
    (await readdir(join(ROOT, 'dist'))).filter((f) => f.endsWith('.js')).map(async (f) => `${f} ${((await stat(join(ROOT, 'dist', f))).size / 1024).toFixed(1)} KB`),
  );
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  const mainKb = (await stat(join(ROOT, 'dist', 'main.js'))).size / 1024;
  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}; ${RUNS} runs, medians`,
    `cold start   ${ms(med['cold']!)} vs bare Node ${ms(med['bare']!)}: ${(med['cold']! / med['bare']!).toFixed(2)} × (target ≤ 1.5 ×)`,
    `full step    ${ms(med['step']!)} (main + post, 4 clients × 2 hosts) vs floor ${ms(med['floor']!)}: ${(med['step']! / med['floor']!).toFixed(2)} × (target ≤ 1.3 ×)`,
    `             sequential sum ${ms(med['sequential']!)}: the step is ${(med['sequential']! / med['step']!).toFixed(2)} × faster (target ≥ 1.75 ×); the floor is ${(med['sequential']! / med['floor']!).toFixed(2)} × faster`,
    `             one IAM round trip ${ms(med['iam']!)}`,
    `bundles      ${sizes.join(', ')} (main target ≤ 400 KB: ${mainKb <= 400 ? 'met' : 'MISSED'})`,
  ];
  console.log(lines.join('\n'));
}

await main();
