// Credentials a host already had before this step: kept aside in a 0600 file under RUNNER_TEMP, put back by post.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { keysContainersDrop, parseAuthFileOrRefuse, registryKeys, withEntry, type AuthFile } from './auth-file.ts';
import { helperGet, helperProgram, helperStore, type HelperSecret } from './docker/helper.ts';
import { parseJson, parseJsonObject } from '../lib/json.ts';
import { dockersFile } from './paths.ts';
import { UserError } from '../lib/errors.ts';
import { writePrivateFile } from './private-files.ts';
import { replaceFile, writeFailure } from './replace-file.ts';
import { entryKey, type Target } from '../clients/plan.ts';

export interface Earlier {
  readonly file: string;
  readonly host: string;
  /** The key it was kept under (`https://HOST`, a legacy form a logout also removes); `host` when absent. */
  readonly key?: string;
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
 * With DOCKER_CONFIG set (and no REGISTRY_AUTH_FILE), docker and the containers tools write one file,
 * and the containers tools drop what docker keeps there besides the entries: its credential helper
 * would be gone (our key then stays in the helper unseen) and its settings lost. Refused before any
 * client runs.
 */
function refuseSharedSettings(path: string, file: AuthFile, targets: readonly Target[]): void {
  const onFile = targets.filter((t) => t.file === path);
  if (!onFile.some((t) => dockersFile(t.client)) || !onFile.some((t) => !dockersFile(t.client))) return;
  const dropped = keysContainersDrop(file);
  if (dropped.length === 0) return;
  throw new UserError(
    `DOCKER_CONFIG makes docker and podman, buildah and skopeo write one file, ${path}, and they drop its ${dropped.map((k) => `"${k}"`).join(', ')} whenever they write it (docker's credential helper and settings); set REGISTRY_AUTH_FILE to a file of the containers tools' own, log in one of the two (clients: docker, or the containers tools), or set isolate: true.`,
    'credentials file',
  );
}

/**
 * Reads what each (file, host) holds now, under every key a logout of the host removes. Refuses a file
 * that is not JSON, and checks credential helpers on the way, so both are reported before any client runs.
 */
export async function readEarlier(targets: readonly Target[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Earlier[]> {
  // Several hosts share a file: read each file once, every file before any helper runs.
  const files = new Map<string, AuthFile>();
  for (const t of targets) if (!files.has(t.file)) files.set(t.file, parseAuthFileOrRefuse(await readText(t.file), t.file));
  for (const [path, file] of files) refuseSharedSettings(path, file, targets);
  const found: Earlier[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(entryKey(t))) continue;
    seen.add(entryKey(t));
    const file = files.get(t.file)!;
    // docker erases every key form from its helper; containers/image asks its helper for the host alone.
    // With DOCKER_CONFIG set, docker and the containers tools share a file: docker's reading is the wider.
    const client = targets.find((o) => dockersFile(o.client) && entryKey(o) === entryKey(t))?.client ?? t.client;
    const keys = dockersFile(client) ? registryKeys(t.host) : [t.host];
    const program = helperProgram(file, t.file, t.host, env, client);
    for (const key of program ? keys : []) {
      const secret = await helperGet(program as string, key, env, timeoutMs);
      if (secret) found.push({ file: t.file, host: t.host, key, helper: { program: program as string, secret } });
    }
    for (const key of registryKeys(t.host)) {
      const entry = file.auths?.[key];
      if (entry && Object.keys(entry).length > 0) found.push({ file: t.file, host: t.host, key, entry });
    }
  }
  return found;
}

/** Saves earlier credentials in a new 0600 file in main's 0700 folder; returns its path. */
export async function saveEarlier(folder: string, earlier: readonly Earlier[]): Promise<string> {
  const path = join(folder, 'earlier.json');
  await writePrivateFile(path, JSON.stringify(earlier));
  return path;
}

/**
 * What main kept aside, or undefined when the copy is gone or unreadable (a later step emptied
 * RUNNER_TEMP). A helper that is not a docker credential helper is never run.
 */
export async function loadEarlier(path: string): Promise<Earlier[] | undefined> {
  const v = parseJson(await readText(path));
  if (!Array.isArray(v)) return undefined;
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
      const text = await readText(e.file);
      const file = parseJsonObject(text) as AuthFile | undefined;
      // A file a client left broken is not ours to rewrite: whatever else it held would be gone.
      if (!file && text?.trim()) {
        problems.push(
          `could not put the earlier credentials for ${e.host} back into ${e.file}, which is no longer valid JSON; fix it, then log in to ${e.host} again`,
        );
        continue;
      }
      try {
        await replaceFile(e.file, JSON.stringify(withEntry(file ?? {}, e.key ?? e.host, e.entry), null, '\t'));
      } catch (error) {
        problems.push(
          `could not put the earlier credentials for ${e.host} back into ${e.file} (${writeFailure(error)}); the file is as it was, without them: log in to ${e.host} again`,
        );
      }
    }
  }
  return problems;
}
