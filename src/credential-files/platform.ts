// The facts about this machine that decide where credentials files are. Adapter over node:fs and node:os.
import { statSync } from 'node:fs';
import { homeFolder } from '../lib/home.ts';
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
  const home = homeFolder(env, os);
  const uid = process.getuid?.() ?? 0;
  return { os, env, home, uid, isDirectory, isOwnDirectory: ownDirectory(uid) };
}
