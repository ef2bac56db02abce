// The user's home folder, found as the clients (Go programs) find it: USERPROFILE on Windows, HOME
// elsewhere, and the OS's answer when that variable is empty.
import { homedir } from 'node:os';

export function homeFolder(env: NodeJS.ProcessEnv, os: NodeJS.Platform = process.platform): string {
  return (os === 'win32' ? env['USERPROFILE'] : env['HOME']) || homedir();
}
