// Which clients to use: the ones asked for, or every one on PATH for `auto` (with docker-config
// where docker is missing); found on the PATH of the step's own environment, never on
// process.env's. Adapter over node:fs.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ClientTool, OwnClient } from './run.ts';
import { UserError } from '../lib/errors.ts';
import { PROCESS_CLIENTS, type ClientName } from '../inputs/settings.ts';

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `name` on `env`'s PATH (with PATHEXT on Windows), or '' when it is not there. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv, os: NodeJS.Platform = process.platform): string {
  const path = (os === 'win32' ? (env['Path'] ?? env['PATH']) : env['PATH']) ?? '';
  const extensions = os === 'win32' ? ['', ...(env['PATHEXT'] ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    for (const ext of extensions) {
      const candidate = join(dir, `${name}${ext}`);
      if (executable(candidate)) return candidate;
    }
  }
  return '';
}

/** The clients that are no process (docker-config), by name: the steps hand them in (credential-files/ writes their files). */
export type OwnClients = ReadonlyMap<ClientName, OwnClient>;

/** A client as this machine has it: one of ours, or a program on `env`'s PATH (path '' when it is not there). */
export function clientTool(name: ClientName, env: NodeJS.ProcessEnv, own: OwnClients): ClientTool {
  const mine = own.get(name);
  return mine ? { name, path: '', own: mine } : { name, path: findExecutable(name, env) };
}

/**
 * `auto` is every program on PATH, and docker-config where docker is not among them: docker's
 * config.json is then still written, for the tools that read it and have no login of their own
 * (kaniko, crane, helm, oras …). Where docker is on PATH, docker writes that file itself.
 */
export function discoverClients(wanted: readonly ClientName[] | 'auto', env: NodeJS.ProcessEnv, own: OwnClients): ClientTool[] {
  if (wanted === 'auto') {
    const found = PROCESS_CLIENTS.map((name) => clientTool(name, env, own)).filter((t) => t.path !== '');
    return found.some((t) => t.name === 'docker') ? found : [...found, clientTool('docker-config', env, own)];
  }
  const found = wanted.map((name) => clientTool(name, env, own));
  const missing = found.filter((t) => !t.own && t.path === '').map((t) => t.name);
  if (missing.length > 0) {
    const list = missing.join(' and ');
    throw new UserError(
      `Client ${list} is listed in input clients but not installed (not found on PATH); install it or remove it from clients.`,
      'clients',
    );
  }
  return found;
}
