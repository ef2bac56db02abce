// Wrappers that record what a real client is given (argv, environment, start and end times, PID), then
// run the real client with the same stdin: for proving what we pass, not for replacing the client.
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientPath } from './machine.ts';

export interface Call {
  readonly client: string;
  readonly pid: number;
  readonly argv: string[];
  readonly env: string;
  readonly start: number;
  readonly end: number;
}

export interface Spy {
  /** Folder to put first on PATH. */
  readonly bin: string;
  calls(): Promise<Call[]>;
}

/**
 * With `timing`, the wrapper stays the parent of the client to record when it ended; without, it
 * execs the client, so the recorded PID is the client's own (and killing it kills the client).
 */
export async function installSpy(dir: string, clients: readonly string[], { timing = false } = {}): Promise<Spy> {
  const bin = join(dir, 'spy-bin');
  const log = join(dir, 'spy-log');
  await mkdir(bin, { recursive: true });
  await mkdir(log, { recursive: true });
  for (const client of clients) {
    const real = await clientPath(client);
    const script = [
      '#!/bin/sh',
      `d="${log}/${client}.$$"`,
      'printf \'%s\\n\' "$@" > "$d.argv"',
      'env > "$d.env"',
      'date +%s%N > "$d.start"',
      ...(timing ? [`trap 'date +%s%N > "$d.end"' EXIT`, `${real} "$@"`] : [`exec ${real} "$@"`]),
    ].join('\n');
    await writeFile(join(bin, client), `${script}\n`);
    await chmod(join(bin, client), 0o755);
  }
  return {
    bin,
    calls: async () => {
      const names = await readdir(log);
      const ids = [...new Set(names.map((n) => n.replace(/\.(argv|env|start|end)$/, '')))];
      const read = (id: string, ext: string): Promise<string> => readFile(join(log, `${id}.${ext}`), 'utf8').catch(() => '');
      return Promise.all(
        ids.map(async (id) => {
          const [client, pid] = id.split('.');
          return {
            client: client!,
            pid: Number(pid),
            argv: (await read(id, 'argv')).split('\n').filter((l) => l !== ''),
            env: await read(id, 'env'),
            start: Number(await read(id, 'start')) / 1e6,
            end: Number(await read(id, 'end')) / 1e6,
          };
        }),
      );
    },
  };
}

/**
 * A stand-in for `client` that echoes the password it read on stdin (raw, and as base64 `user:password`)
 * in its error line and exits 1: a client that careless is what our own text must survive.
 */
export async function installEchoingClient(dir: string, client: string): Promise<string> {
  const bin = join(dir, 'echo-bin');
  await mkdir(bin, { recursive: true });
  const script = [
    '#!/bin/sh',
    'read -r pw',
    'u=""; while [ $# -gt 0 ]; do [ "$1" = --username ] && u="$2"; shift; done',
    'b=$(printf \'%s:%s\' "$u" "$pw" | base64 -w0)',
    'echo "Error: logging in as $u with password $pw ($b) failed: unauthorized" >&2',
    'exit 1',
  ].join('\n');
  await writeFile(join(bin, client), `${script}\n`);
  await chmod(join(bin, client), 0o755);
  return bin;
}
