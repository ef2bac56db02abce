// The user's home folder, found as the clients (Go programs) find it: USERPROFILE on Windows, HOME
// elsewhere, and the OS's answer when that variable is empty.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function homeFolder(env: NodeJS.ProcessEnv, os: NodeJS.Platform = process.platform): string {
  return (os === 'win32' ? env['USERPROFILE'] : env['HOME']) || homedir();
}

/** icr-login's own folder for what outlives a run (XDG_STATE_HOME, or ~/.local/state). */
export function stateFolder(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_STATE_HOME'] || join(homeFolder(env), '.local', 'state'), 'icr-login');
}
