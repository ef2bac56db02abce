#!/usr/bin/env node
// `npm start`, `npm test` and `npm run bench` on a fresh machine: installs what is missing
// (Node 24, npm packages, and for tests the clients and the registry), then runs the task on Node 24.
// Plain JavaScript so that it runs on whatever Node the machine has.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const task = process.argv[2];
const TASKS = {
  start: ['test/start.ts'],
  test: ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(3)],
  bench: ['bench/run.ts', ...process.argv.slice(3)],
};
if (!TASKS[task]) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(TASKS).join('|')}`);
  process.exit(2);
}

const say = (m) => console.error(`[setup] ${m}`);
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

// 1. Node 24: re-run this script under it if the machine's Node is older.
if (Number(process.versions.node.split('.')[0]) < 24) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  const prefix = join(root, '.cache', 'node24');
  const pkg = join(prefix, 'node_modules', `node-${os}-${process.arch}`);
  const bin = process.platform === 'win32' ? join(pkg, 'bin', 'node.exe') : join(pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    say(`Node ${process.versions.node} is older than 24: installing node-${os}-${process.arch}@24 from npm into .cache/node24`);
    sh('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-${os}-${process.arch}@24`]);
  }
  const path = `${join(pkg, 'bin')}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH}`;
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
const r = spawnSync(process.execPath, TASKS[task], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
