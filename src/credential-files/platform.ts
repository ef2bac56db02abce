// The facts about this machine that decide where credentials files are. Adapter over node:fs and node:os.
import { lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { homeFolder } from '../lib/home.ts';
import type { Platform } from './paths.ts';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function privateFolder(uid: number): (path: string) => boolean {
  return (path) => {
    try {
      mkdirSync(path, { recursive: true, mode: 0o700 });
    } catch {
      // podman tries too and goes on (a non-root user cannot create /run/user/UID).
    }
    try {
      const s = lstatSync(path);
      return s.isDirectory() && s.uid === uid && (s.mode & 0o777) === 0o700;
    } catch {
      return false;
    }
  };
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function platformOf(env: NodeJS.ProcessEnv, os: NodeJS.Platform = process.platform): Platform {
  const home = homeFolder(env, os);
  const uid = process.getuid?.() ?? 0;
  return { os, env, home, uid, isDirectory, isPrivateFolder: privateFolder(uid), realPath };
}
