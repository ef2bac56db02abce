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
