// Which clients to use: the ones asked for, or every one on PATH for `auto`; found on the PATH of
// the step's own environment, never on process.env's. Adapter over node:fs.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ClientTool } from './run.ts';
import { UserError } from '../lib/errors.ts';
import { CLIENT_NAMES, type ClientName } from '../inputs/settings.ts';

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

export function discoverClients(wanted: readonly ClientName[] | 'auto', env: NodeJS.ProcessEnv): ClientTool[] {
  const names = wanted === 'auto' ? CLIENT_NAMES : wanted;
  const found = names.map((name) => ({ name, path: findExecutable(name, env) }));
  if (wanted === 'auto') {
    const tools = found.filter((t) => t.path !== '');
    if (tools.length === 0) {
      throw new UserError(
        `Input clients is auto, but none of ${CLIENT_NAMES.join(', ')} is on PATH; install one (docker, for example) or name the clients to use.`,
        'clients',
      );
    }
    return tools;
  }
  const missing = found.filter((t) => t.path === '').map((t) => t.name);
  if (missing.length > 0) {
    const list = missing.join(' and ');
    throw new UserError(
      `Client ${list} is listed in input clients but not installed (not found on PATH); install it or remove it from clients.`,
      'clients',
    );
  }
  return found;
}
