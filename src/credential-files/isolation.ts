// isolate: true — this job's credentials in files of its own under RUNNER_TEMP, so jobs sharing a HOME never meet.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { carryDockerSettings } from './docker/settings.ts';
import { privateDir } from './private-files.ts';

export interface Isolation {
  readonly dir: string;
  /** DOCKER_CONFIG: the folder docker's config.json goes into. */
  readonly dockerConfig: string;
  /** REGISTRY_AUTH_FILE: the file podman, buildah and skopeo share. */
  readonly authFile: string;
}

/** `userDocker`: the docker config folder the user has, whose plugins and settings docker keeps under isolation. */
export async function createIsolation(parent: string, userDocker: string): Promise<Isolation> {
  const dir = await privateDir(parent, 'icr-login');
  const dockerConfig = join(dir, 'docker');
  await mkdir(dockerConfig, { mode: 0o700 });
  await carryDockerSettings(userDocker, dockerConfig);
  return { dir, dockerConfig, authFile: join(dir, 'auth.json') };
}

export function isolationEnv(i: Isolation): Record<string, string> {
  return { DOCKER_CONFIG: i.dockerConfig, REGISTRY_AUTH_FILE: i.authFile };
}
