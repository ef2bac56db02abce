// Which credentials file each client reads and writes (docs/icr.md#which-file-each-client-reads-and-writes). Pure.
import { dirname, join } from 'node:path';
import type { ClientName } from '../inputs/settings.ts';
import { UserError } from '../lib/errors.ts';

export interface Platform {
  readonly os: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly uid: number;
  readonly isDirectory: (path: string) => boolean;
  /**
   * Makes the folder (0700) where it is missing, as podman does with each runtime folder it tries,
   * and says whether it is the user's own: a folder, not a link, owned by `uid`, mode 0700.
   */
  readonly isPrivateFolder: (path: string) => boolean;
  /** The path with every link resolved, as Go's filepath.EvalSymlinks does; the path itself when it cannot be. */
  readonly realPath: (path: string) => string;
}

/**
 * Rootless podman with XDG_RUNTIME_DIR unset (a runner run as a service under its own user) keeps its
 * credentials in a runtime folder of its own, while skopeo would look in /run/containers/UID, which a
 * non-root user cannot create. Then this is the one file all three containers tools must be pinned to
 * (docs/icr.md#rootless-podmans-runtime-folder); undefined where they already agree. podman 4.3 takes
 * /run/user/UID, else $TMPDIR/podman-run-UID, each only when it is the user's own, else HOME/rundir;
 * we take the same folders in the same order, but only one that nobody else may enter, and refuse
 * to write anywhere else.
 */
export function podmanRuntimeFile(p: Platform): string | undefined {
  if (p.os === 'darwin' || p.os === 'win32' || p.uid === 0 || p.env['XDG_RUNTIME_DIR']) return undefined;
  if (p.env['REGISTRY_AUTH_FILE'] || p.env['DOCKER_CONFIG']) return undefined;
  const tried = [`/run/user/${p.uid}`, join(p.env['TMPDIR'] || '/tmp', `podman-run-${p.uid}`)];
  const dir = tried.find((d) => p.isPrivateFolder(d)) ?? join(p.realPath(p.home), 'rundir');
  if (!p.isPrivateFolder(dir)) {
    throw new UserError(
      `With XDG_RUNTIME_DIR unset, rootless podman keeps its credentials in ${dir}, which is not a folder of this user's own with mode 0700 (others could read them); set XDG_RUNTIME_DIR or REGISTRY_AUTH_FILE to a place of this user's own.`,
      'rootless podman',
    );
  }
  return join(dir, 'containers', 'auth.json');
}

/** docker and docker-config (the action writing it itself) keep credentials in docker's config.json, as docker reads it. */
export const dockersFile = (client: string): boolean => client === 'docker' || client === 'docker-config';

/**
 * The file a client writes its credentials to (docs/icr.md#which-file-each-client-reads-and-writes). Logins that write one file must not
 * run at the same time; logins of different files may.
 */
export function credentialsFile(client: ClientName, p: Platform): string {
  const dockerConfig = p.env['DOCKER_CONFIG'];
  if (dockersFile(client)) return join(dockerConfig || join(p.home, '.docker'), 'config.json');
  if (p.env['REGISTRY_AUTH_FILE']) return p.env['REGISTRY_AUTH_FILE'];
  if (dockerConfig) return join(dockerConfig, 'config.json');
  // containers/image uses the home folder on macOS and Windows, the runtime-dir locations elsewhere.
  if (p.os === 'darwin' || p.os === 'win32') return join(p.home, '.config', 'containers', 'auth.json');
  const runtimeDir = p.env['XDG_RUNTIME_DIR'];
  if (runtimeDir && p.isDirectory(runtimeDir)) return join(runtimeDir, 'containers', 'auth.json');
  const podmans = podmanRuntimeFile(p);
  if (podmans) return podmans;
  return join('/run/containers', String(p.uid), 'auth.json');
}

/**
 * Variables that make a client use exactly `file`, whatever a later step exported: post logs out of
 * the file main wrote, not of the one the environment points at by then.
 */
export function pinnedTo(client: ClientName, file: string): Record<string, string> {
  return dockersFile(client) ? { DOCKER_CONFIG: dirname(file) } : { REGISTRY_AUTH_FILE: file };
}
