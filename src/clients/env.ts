// The environment clients run in: ours, without any variable that holds a secret, marked with the
// run that starts them (groups.ts: how post tells the clients main started from processes that took
// their group ids later).
import { RUN_MARK } from './groups.ts';
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

/** `run`: the id of the run whose clients these are; a mark inherited from elsewhere is never passed on. */
export function clientEnv(env: NodeJS.ProcessEnv, secrets: readonly string[], run?: string): NodeJS.ProcessEnv {
  const clean = childEnv(env, [...SECRET_ENV_NAMES, RUN_MARK], secrets);
  return run ? { ...clean, [RUN_MARK]: run } : clean;
}
