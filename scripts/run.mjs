#!/usr/bin/env node
// `npm start`, `npm test` and `npm run bench` on a fresh machine: installs what is missing
// (Node 24, npm packages, and for tests the clients and the registry), then runs the task on Node 24.
// `npm test` with no arguments then runs the CLI's tests a second time with the CLI on Node 22.
// Plain JavaScript so that it runs on whatever Node the machine has.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const task = process.argv[2];
const TASKS = {
  start: ['test/start.ts'],
  test: [], // vitest, once or twice: step 5
  bench: ['bench/run.ts', ...process.argv.slice(3)],
};
if (!TASKS[task]) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(TASKS).join('|')}`);
  process.exit(2);
}

const say = (m) => console.error(`[setup] ${m}`);
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

/** The node binary of the newest release of Node `major`, installed from npm into .cache/node<major> when missing. */
function nodeFromNpm(major, why) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  const prefix = join(root, '.cache', `node${major}`);
  const pkg = join(prefix, 'node_modules', `node-${os}-${process.arch}`);
  const bin = process.platform === 'win32' ? join(pkg, 'bin', 'node.exe') : join(pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    say(`${why}: installing node-${os}-${process.arch}@${major} from npm into .cache/node${major}`);
    sh('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-${os}-${process.arch}@${major}`]);
  }
  return bin;
}

// 1. Node 24: re-run this script under it if the machine's Node is older.
if (Number(process.versions.node.split('.')[0]) < 24) {
  const bin = nodeFromNpm(24, `Node ${process.versions.node} is older than 24`);
  const path = `${resolve(bin, '..')}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH}`;
  const r = spawnSync(bin, [import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, PATH: path } });
  process.exit(r.status ?? 1);
}

// 2. npm packages, when missing or older than the lock file.
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  say('installing npm packages (npm ci)');
  sh('npm', ['ci', '--no-audit', '--no-fund']);
}

// 3. Tests need the real clients and a real registry; install them where we can, fail where we cannot.
if (task === 'test' || task === 'bench') {
  const need = {
    podman: 'podman',
    buildah: 'buildah',
    skopeo: 'skopeo',
    'docker-registry': 'docker-registry',
    openssl: 'openssl',
    docker: 'docker.io',
  };
  const missing = Object.keys(need).filter((c) => !onPath(c));
  if (missing.length > 0) {
    if (process.platform === 'linux' && process.getuid?.() === 0 && onPath('apt-get')) {
      say(`installing ${missing.join(', ')} (apt)`);
      sh('apt-get', ['update', '-qq']);
      sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing.map((c) => need[c])], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else {
      console.error(
        `The tests need ${missing.join(', ')}; install them (Debian: apt-get install ${missing.map((c) => need[c]).join(' ')}) and run again.`,
      );
      process.exit(1);
    }
  }
}

// 4. The bundles the local run and the benchmark execute are built from src/ first (the tests' e2e
// project bundles for itself); tests also type-check, lint and check formatting.
if (task !== 'test') sh(process.execPath, ['scripts/bundle.mjs']);
else {
  sh(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
  sh(process.execPath, ['node_modules/eslint/bin/eslint.js', '.']);
  sh(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.']);
}
if (task !== 'test') {
  const r = spawnSync(process.execPath, TASKS[task], { stdio: 'inherit', cwd: root });
  process.exit(r.status ?? 1);
}

// 5. Tests: every test on Node 24; then, for a full run (no arguments), the CLI's tests again with
// dist/cli.js run by Node 22, the oldest Node that package.json's engines allows. Each vitest run
// appends its counts to a file, and this prints the one closing line for both.
const countDir = mkdtempSync(join(tmpdir(), 'icr-login-counts-'));
const countFile = join(countDir, 'counts.jsonl');
const vitest = (args, env = {}) =>
  spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, ICR_LOGIN_COUNT_FILE: countFile, ...env },
  }).status ?? 1;
// A full run: the unit project with coverage (its thresholds in test/coverage-thresholds.ts fail the run),
// then the e2e project; with arguments, vitest runs what they name.
const full = process.argv.length === 3;
const statuses = full ? [vitest(['--project', 'unit', '--coverage']), vitest(['--project', 'e2e'])] : [vitest(process.argv.slice(3))];
if (full) {
  const node22 = nodeFromNpm(22, 'the CLI is tested on Node 22 too');
  say(`the CLI's tests again, dist/cli.js on Node ${execFileSync(node22, ['--version'], { encoding: 'utf8' }).trim()}`);
  statuses.push(vitest(['test/e2e/cli.test.ts'], { ICR_LOGIN_CLI_NODE: node22 }));
}
const runs = existsSync(countFile)
  ? readFileSync(countFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
rmSync(countDir, { recursive: true, force: true });
const total = (key) => runs.reduce((sum, run) => sum + run[key], 0);
const skipped = total('skipped');
process.stdout.write(`\ntests: ${total('passed')} passed, ${total('failed')} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(statuses.every((s) => s === 0) && runs.length === statuses.length ? 0 : 1);
