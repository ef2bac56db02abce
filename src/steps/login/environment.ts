// The login's environment: main's own folder under RUNNER_TEMP, the clients' environment, isolation.
import { dirname } from 'node:path';
import { sharesContainersAuth } from '../../clients/commands.ts';
import { clientEnv } from '../../clients/env.ts';
import { credentialsFile, podmanRuntimeFile } from '../../credential-files/paths.ts';
import { platformOf } from '../../credential-files/platform.ts';
import { createRunFolder, inRunnerTemp, runnerTemp } from '../../credential-files/run-folder.ts';
import type { HostCredentials } from '../../iam/credential.ts';
import { OUTPUT, type ClientName, type Settings } from '../../inputs/settings.ts';
import type { Runtime } from '../runtime.ts';
import type { StateWriter } from '../state/writer.ts';

export interface Environment {
  /** What every client runs with: ours without secrets, pointed at the isolated files if asked. */
  readonly env: NodeJS.ProcessEnv;
  /** Main's 0700 folder under RUNNER_TEMP, the only one post deletes. */
  readonly folder: string;
}

export async function prepareEnvironment(
  rt: Runtime,
  state: StateWriter,
  run: string,
  settings: Settings,
  credentials: HostCredentials,
  clients: readonly ClientName[],
): Promise<Environment> {
  const temp = runnerTemp(rt.env);
  const folder = await inRunnerTemp(temp, 'create a private folder', () => createRunFolder(temp, run));
  const env = clientEnv(rt.env, [settings.apiKey, ...[...credentials.values()].map((c) => c.secret)], run);
  if (!settings.isolate) return { env: clients.some(sharesContainersAuth) ? pinnedToPodmansFile(rt, env) : env, folder };
  // docker's folder as the user has it, for its plugins and settings (not its credentials).
  const userDocker = dirname(credentialsFile('docker', platformOf(env)));
  // Only a step that isolates loads isolation's code.
  const { createIsolation, isolationEnv } = await import('../../credential-files/isolation.ts');
  const isolation = await inRunnerTemp(temp, 'create the isolated credentials folder', () => createIsolation(folder, userDocker));
  state.isolation(isolation);
  rt.exportVariable('DOCKER_CONFIG', isolation.dockerConfig);
  rt.exportVariable('REGISTRY_AUTH_FILE', isolation.authFile);
  rt.setOutput(OUTPUT.dockerConfig, isolation.dockerConfig);
  rt.setOutput(OUTPUT.authFile, isolation.authFile);
  return { env: { ...env, ...isolationEnv(isolation) }, folder };
}

/**
 * A non-root runner without XDG_RUNTIME_DIR: all three containers tools on podman's own file, in this
 * step and in every later one (docs/icr.md#rootless-podmans-runtime-folder). Only where one of them
 * logs in: a docker-only job has no business with podman's folders.
 */
function pinnedToPodmansFile(rt: Runtime, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = podmanRuntimeFile(platformOf(env));
  if (!file) return env;
  rt.exportVariable('REGISTRY_AUTH_FILE', file);
  return { ...env, REGISTRY_AUTH_FILE: file };
}
