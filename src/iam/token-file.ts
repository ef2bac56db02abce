// The compute-resource token of a pod (a projected service-account token, docs/icr.md#a-pod-in-a-cluster):
// read from input cr-token-file, or from the first of IBM's SDKs' default paths that exists. Adapter
// over node:fs. A projected token is a symbolic link into the volume's current data, so links are followed.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { errnoCode, UserError } from '../lib/errors.ts';
import { maskable } from '../inputs/apikey.ts';

/** Where IBM's SDKs look, in their order: Vault's and IKS's projected tokens, then Code Engine's. */
export const DEFAULT_TOKEN_FILES: readonly string[] = [
  '/var/run/secrets/tokens/vault-token',
  '/var/run/secrets/tokens/sa-token',
  '/var/run/secrets/codeengine.cloud.ibm.com/compute-resource-token/token',
];

/** A service-account token is a few KB; anything far larger is not one. */
const MAX_TOKEN_BYTES = 64 * 1024;

export interface CrToken {
  readonly path: string;
  readonly token: string;
}

const unusable = (path: string, what: string): UserError =>
  new UserError(`The compute-resource token file ${path} ${what}.`, 'cr-token-file');

/** The file's text, or undefined when nothing is at `path`. A FIFO is never waited on. */
async function readOne(path: string): Promise<string | undefined> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch((error: unknown) => {
    const code = errnoCode(error, 'open failed');
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw unusable(
      path,
      `cannot be read (${code}); let the user the job runs as read it (the projected volume's defaultMode, or the pod's fsGroup)`,
    );
  });
  if (!handle) return undefined;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw unusable(path, 'is not a file; cr-token-file names the token file itself');
    if (stats.size > MAX_TOKEN_BYTES)
      throw unusable(path, 'is far larger than a token; cr-token-file names the projected service-account token');
    return await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw unusable(path, `cannot be read (${errnoCode(error, 'read failed')})`);
  } finally {
    await handle.close();
  }
}

/**
 * The token from the first of `paths` that exists, masked before anything else happens to it.
 * `given`: the path came from cr-token-file (the messages say so).
 */
export async function readCrToken(paths: readonly string[], given: boolean, mask: (secret: string) => void): Promise<CrToken> {
  for (const path of paths) {
    const text = await readOne(path);
    if (text === undefined) continue;
    for (const s of maskable(text)) mask(s);
    const token = text.trim();
    if (token === '') {
      throw unusable(
        path,
        "is empty; the kubelet writes the token there once the pod runs with a projected service-account token (audience iam): check the pod's volume",
      );
    }
    return { path, token };
  }
  if (given) {
    throw unusable(
      paths.join(', '),
      'does not exist (input cr-token-file); mount a projected service-account token with audience iam there, or correct the path',
    );
  }
  throw new UserError(
    `Identity container found no compute-resource token: none of ${paths.join(', ')} exists; mount a projected service-account token with audience iam at one of them, or name the file in cr-token-file.`,
    'cr-token-file',
  );
}
