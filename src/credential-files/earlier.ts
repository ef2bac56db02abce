// Credentials a host already had before this step: kept aside in a 0600 file under RUNNER_TEMP, put back by post.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseAuthFile, withEntry, type AuthFile } from './auth-file.ts';
import { helperGet, helperProgram, helperStore, type HelperSecret } from './docker-helper.ts';
import { parseJson } from '../lib/json.ts';
import { writePrivateFile } from './private-files.ts';
import { entryKey, type Target } from '../clients/plan.ts';

export interface Earlier {
  readonly file: string;
  readonly host: string;
  /** The entry in the file's `auths` map. */
  readonly entry?: Record<string, unknown>;
  /** The secret docker's credential helper held. */
  readonly helper?: { readonly program: string; readonly secret: HelperSecret };
}

const readText = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);

/** Strings in an earlier credential, for masking: they are someone's secrets too. */
export function earlierSecrets(earlier: readonly Earlier[]): string[] {
  return earlier.flatMap((e) => [
    ...Object.values(e.entry ?? {}).filter((v): v is string => typeof v === 'string' && v.length >= 8),
    ...(e.helper ? [e.helper.secret.Secret] : []),
  ]);
}

/**
 * Reads what each (file, host) holds now. Checks docker's credential helpers on the way, so a missing
 * one is reported before any client runs.
 */
export async function readEarlier(targets: readonly Target[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Earlier[]> {
  const found: Earlier[] = [];
  const seen = new Set<string>();
  const files = new Map<string, AuthFile>();
  for (const t of targets) {
    if (seen.has(entryKey(t))) continue;
    seen.add(entryKey(t));
    // Several hosts share a file: read each file once.
    let file = files.get(t.file);
    if (!file) files.set(t.file, (file = parseAuthFile(await readText(t.file))));
    if (t.client === 'docker') {
      const program = await helperProgram(file, t.file, t.host);
      if (program) {
        const secret = await helperGet(program, t.host, env, timeoutMs);
        if (secret) found.push({ file: t.file, host: t.host, helper: { program, secret } });
        continue;
      }
    }
    const entry = file.auths?.[t.host];
    if (entry && Object.keys(entry).length > 0) found.push({ file: t.file, host: t.host, entry });
  }
  return found;
}

/** Saves earlier credentials in a new 0600 file in main's 0700 folder; returns its path. */
export async function saveEarlier(folder: string, earlier: readonly Earlier[]): Promise<string> {
  const path = join(folder, 'earlier.json');
  await writePrivateFile(path, JSON.stringify(earlier));
  return path;
}

/** What main kept aside; a helper that is not a docker credential helper is never run. */
export async function loadEarlier(path: string): Promise<Earlier[]> {
  const v = parseJson(await readText(path));
  if (!Array.isArray(v)) return [];
  return (v as Earlier[]).filter(
    (e) =>
      e &&
      typeof e.file === 'string' &&
      typeof e.host === 'string' &&
      (!e.helper || basename(e.helper.program).startsWith('docker-credential-')),
  );
}

/** Puts back what one file held before; run after that file's logouts, never beside another writer. */
export async function restoreEarlier(earlier: readonly Earlier[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string[]> {
  const problems: string[] = [];
  for (const e of earlier) {
    if (e.helper) {
      if (!(await helperStore(e.helper.program, e.helper.secret, env, timeoutMs))) {
        problems.push(`could not put the earlier credentials for ${e.host} back into ${e.helper.program}`);
      }
    } else if (e.entry) {
      try {
        const file = parseAuthFile(await readText(e.file));
        await writeFile(e.file, JSON.stringify(withEntry(file, e.host, e.entry), null, '\t'), { mode: 0o600 });
      } catch (error) {
        problems.push(
          `could not put the earlier credentials for ${e.host} back into ${e.file} (${(error as NodeJS.ErrnoException).code ?? 'write failed'})`,
        );
      }
    }
  }
  return problems;
}
