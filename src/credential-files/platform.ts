// The facts about this machine that decide where credentials files are. Adapter over node:fs and node:os.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Platform } from './paths.ts';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function ownDirectory(uid: number): (path: string) => boolean {
  return (path) => {
    try {
      const s = statSync(path);
      return s.isDirectory() && s.uid === uid;
    } catch {
      return false;
    }
  };
}

export function platformOf(env: NodeJS.ProcessEnv, os: NodeJS.Platform = process.platform): Platform {
  // The clients find home as Go does: USERPROFILE on Windows, HOME elsewhere.
  const home = (os === 'win32' ? env['USERPROFILE'] : env['HOME']) || homedir();
  const uid = process.getuid?.() ?? 0;
  return { os, env, home, uid, isDirectory, isOwnDirectory: ownDirectory(uid) };
}
