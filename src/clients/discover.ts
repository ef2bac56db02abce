// Which clients to use: the ones asked for, or every one on PATH for `auto`. Adapter over @actions/io.
import { which } from '@actions/io';
import type { ClientTool } from './run.ts';
import { UserError } from '../lib/errors.ts';
import { CLIENT_NAMES, type ClientName } from '../inputs/settings.ts';

/** The client's absolute path on PATH, or '' when it is not there. */
export function findClient(name: string): Promise<string> {
  return which(name, false);
}

export async function discoverClients(wanted: readonly ClientName[] | 'auto'): Promise<ClientTool[]> {
  const names = wanted === 'auto' ? CLIENT_NAMES : wanted;
  const found = await Promise.all(names.map(async (name) => ({ name, path: await findClient(name) })));
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
