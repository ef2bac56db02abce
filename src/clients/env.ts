// The environment clients run in: ours, without any variable that holds a secret.
import { childEnv } from './process.ts';

/** Variables that may hold the API key or the entitlement key: never handed to a client. */
export const SECRET_ENV_NAMES: readonly string[] = [
  'INPUT_API-KEY',
  'INPUT_API_KEY',
  'IBMCLOUD_API_KEY',
  'ICR_API_KEY',
  'INPUT_ENTITLEMENT-KEY',
  'INPUT_ENTITLEMENT_KEY',
  'IBM_ENTITLEMENT_KEY',
];

export function clientEnv(env: NodeJS.ProcessEnv, secrets: readonly string[]): NodeJS.ProcessEnv {
  return childEnv(env, SECRET_ENV_NAMES, secrets);
}
