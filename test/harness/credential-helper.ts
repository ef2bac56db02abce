// A docker credential helper (the store/get/erase/list protocol) backed by a JSON file: stands in for
// the macOS keychain and Windows credential manager, which cannot run here.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FakeHelper {
  /** Folder to put first on PATH. */
  readonly bin: string;
  /** What the helper holds: server URL → { Username, Secret }. */
  read(): Promise<Record<string, { Username: string; Secret: string }>>;
  write(store: Record<string, { Username: string; Secret: string }>): Promise<void>;
  /** PID of every helper process started. */
  pids(): Promise<number[]>;
  /** Every call's arguments and environment, to prove a secret came on stdin only. */
  calls(): Promise<{ argv: string[]; env: Record<string, string> }[]>;
}

type Command = 'store' | 'get' | 'erase';

/**
 * With `hang`, that command never returns (a keychain waiting for a prompt no one answers); with
 * `refuse`, it fails as a locked keychain or a broken `pass` store does; with `idle`, it exits 0 and
 * does nothing.
 */
export async function installHelper(
  dir: string,
  name: string,
  { hang, refuse, idle }: { hang?: Command; refuse?: Command; idle?: Command } = {},
): Promise<FakeHelper> {
  const bin = join(dir, `helper-${name}`);
  const storePath = join(bin, 'store.json');
  const pidsPath = join(bin, 'pids');
  const callsPath = join(bin, 'calls');
  await mkdir(bin, { recursive: true });
  const script = `#!${process.execPath}
const fs = require('node:fs');
const path = ${JSON.stringify(storePath)};
const load = () => { try { return JSON.parse(fs.readFileSync(path, 'utf8')); } catch { return {}; } };
const save = (s) => fs.writeFileSync(path, JSON.stringify(s), { mode: 0o600 });
fs.appendFileSync(${JSON.stringify(pidsPath)}, process.pid + '\\n');
fs.appendFileSync(${JSON.stringify(callsPath)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env }) + '\\n');
if (process.argv[2] === ${JSON.stringify(hang ?? '')}) setInterval(() => {}, 60_000);
else if (process.argv[2] === ${JSON.stringify(refuse ?? '')}) { process.stdout.write('The user name or passphrase you entered is not correct (keychain locked)\\n'); process.exit(1); }
else if (process.argv[2] !== ${JSON.stringify(idle ?? '')}) main();
function main() {
const input = fs.readFileSync(0, 'utf8').trim();
const store = load();
switch (process.argv[2]) {
  case 'store': { const c = JSON.parse(input); store[c.ServerURL] = { Username: c.Username, Secret: c.Secret }; save(store); break; }
  case 'get': { const c = store[input]; if (!c) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); } process.stdout.write(JSON.stringify({ ServerURL: input, ...c })); break; }
  case 'erase': { if (!store[input]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); } delete store[input]; save(store); break; }
  case 'list': { process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(store).map(([k, v]) => [k, v.Username])))); break; }
  default: process.exit(2);
}
}
`;
  const program = join(bin, `docker-credential-${name}`);
  await writeFile(program, script);
  await chmod(program, 0o755);
  return {
    bin,
    read: async () => {
      try {
        return JSON.parse(await readFile(storePath, 'utf8')) as Record<string, { Username: string; Secret: string }>;
      } catch {
        return {};
      }
    },
    write: (store) => writeFile(storePath, JSON.stringify(store), { mode: 0o600 }),
    calls: async () =>
      (await readFile(callsPath, 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { argv: string[]; env: Record<string, string> }),
    pids: async () =>
      (await readFile(pidsPath, 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => l !== '')
        .map(Number),
  };
}
