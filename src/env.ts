// The environment clients run in, and the facts about the machine that decide credentials files.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Platform } from './clients.ts';
import { childEnv } from './process.ts';

/** Variables that may hold the API key: never handed to a client. */
export const SECRET_ENV_NAMES: readonly string[] = ['INPUT_API-KEY', 'INPUT_API_KEY', 'IBMCLOUD_API_KEY', 'ICR_API_KEY'];

export function clientEnv(env: NodeJS.ProcessEnv, secrets: readonly string[]): NodeJS.ProcessEnv {
  return childEnv(env, SECRET_ENV_NAMES, secrets);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function platformOf(env: NodeJS.ProcessEnv, os: NodeJS.Platform = process.platform): Platform {
  // The clients find home as Go does: USERPROFILE on Windows, HOME elsewhere.
  const home = (os === 'win32' ? env['USERPROFILE'] : env['HOME']) || homedir();
  return { os, env, home, uid: process.getuid?.() ?? 0, isDirectory };
}
