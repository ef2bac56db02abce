// Fake registry clients for unit tests: /bin/sh scripts in a temp folder that answer as the real ones
// do (`Login Succeeded`, exit 0), or refuse the hosts they are told to, and log every call's arguments
// (never stdin, which carries the secret) so a test can see what ran.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeClients {
  /** The folder to put on PATH: it holds these clients and nothing else. */
  readonly dir: string;
  /** Every call, one line of arguments each, in the order they ran. */
  calls(client: string): Promise<string[]>;
}

/** @param refuse for each client, hosts whose login it refuses as a wrong password would be */
export async function fakeClients(names: readonly string[], refuse: Record<string, readonly string[]> = {}): Promise<FakeClients> {
  const dir = await mkdtemp(join(tmpdir(), 'icr-fake-clients-'));
  for (const name of names) {
    const refused = (refuse[name] ?? []).map((h) => `*" ${h}"`).join('|');
    const script = [
      '#!/bin/sh',
      `echo "$*" >> "${join(dir, `${name}.calls`)}"`,
      'read -r secret || true',
      ...(refused ? [`case " $*" in ${refused}) echo "Error: unauthorized: incorrect username or password" >&2; exit 1;; esac`] : []),
      'case "$1" in login) echo "Login Succeeded";; logout) echo "Removed login credentials";; esac',
      'exit 0',
      '',
    ].join('\n');
    await writeFile(join(dir, name), script);
    await chmod(join(dir, name), 0o755);
  }
  return {
    dir,
    calls: async (client) => (await readFile(join(dir, `${client}.calls`), 'utf8').catch(() => '')).split('\n').filter((l) => l !== ''),
  };
}

/**
 * Fake clients that keep their logins in the credentials file, as the real ones do: docker's in
 * $DOCKER_CONFIG/config.json, the others' in $REGISTRY_AUTH_FILE (post pins both). A client named in
 * `idle` exits 0 from its logout and changes nothing (a broken wrapper); every call is logged.
 */
export async function fakeFileClients(names: readonly string[], { idle = [] }: { idle?: readonly string[] } = {}): Promise<FakeClients> {
  const dir = await mkdtemp(join(tmpdir(), 'icr-fake-file-clients-'));
  for (const name of names) {
    const script = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const [verb, ...rest] = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(join(dir, `${name}.calls`))}, [verb, ...rest].join(' ') + '\\n');
const file = ${JSON.stringify(name)} === 'docker' ? path.join(process.env.DOCKER_CONFIG, 'config.json') : process.env.REGISTRY_AUTH_FILE;
const host = rest.at(-1);
const load = () => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return {}; } };
const save = (c) => { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, JSON.stringify(c)); };
if (verb === 'login') {
  const secret = fs.readFileSync(0, 'utf8').trim();
  const c = load();
  c.auths = { ...c.auths, [host]: { auth: Buffer.from(rest[1] + ':' + secret).toString('base64') } };
  save(c);
  console.log('Login Succeeded');
} else if (verb === 'logout' && !${JSON.stringify(idle.includes(name))}) {
  const c = load();
  if (!c.auths?.[host]) { console.error('Error: not logged into ' + host); process.exit(1); }
  delete c.auths[host];
  save(c);
  console.log('Removed login credentials for ' + host);
}
`;
    await writeFile(join(dir, name), script);
    await chmod(join(dir, name), 0o755);
  }
  return {
    dir,
    calls: async (client) => (await readFile(join(dir, `${client}.calls`), 'utf8').catch(() => '')).split('\n').filter((l) => l !== ''),
  };
}
