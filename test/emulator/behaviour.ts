// How each region answers where ICR answers in more than one way. The defaults are the forms our code
// reads today, so the e2e suite stays green while src/ learns the others; ICR_EMULATOR_STRICT=1 (or a
// comma list of the names below) makes every emulator of a run answer the strict way instead.
import type { EmulatorOptions, IcrBehaviour } from './types.ts';

/** Today's defaults: quoted challenges, 401 for bad credentials. */
export const DEFAULT_BEHAVIOUR: IcrBehaviour = { challenge: 'quoted', badCredentials: 401 };

/** The forms ICR also answers, which the defaults hide (ICR docs: "If you get a 400 Bad Request message…"). */
export const STRICT_BEHAVIOUR: IcrBehaviour = { challenge: 'unquoted', badCredentials: 400 };

/** The defaults after ICR_EMULATOR_STRICT: `1`/`all`, or names such as `challenge,badCredentials`. */
export function baseBehaviour(env: NodeJS.ProcessEnv = process.env): IcrBehaviour {
  const value = env['ICR_EMULATOR_STRICT']?.trim() ?? '';
  if (value === '' || value === '0') return { ...DEFAULT_BEHAVIOUR };
  const names = value === '1' || value === 'all' ? Object.keys(STRICT_BEHAVIOUR) : value.split(',').map((n) => n.trim());
  const behaviour = { ...DEFAULT_BEHAVIOUR };
  for (const name of names) {
    if (!(name in STRICT_BEHAVIOUR))
      throw new Error(`ICR_EMULATOR_STRICT: no behaviour ${name} (have ${Object.keys(STRICT_BEHAVIOUR).join(', ')})`);
    Object.assign(behaviour, { [name]: STRICT_BEHAVIOUR[name as keyof IcrBehaviour] });
  }
  return behaviour;
}

/** A region's behaviour: the base, then `icr`, then `regionBehaviour[region]`. */
export function behaviourFor(region: string, opts: EmulatorOptions, base: IcrBehaviour = baseBehaviour()): IcrBehaviour {
  return checked({ ...base, ...opts.icr, ...opts.regionBehaviour?.[region] });
}

export function checked(behaviour: IcrBehaviour): IcrBehaviour {
  if (behaviour.challenge !== 'quoted' && behaviour.challenge !== 'unquoted') {
    throw new Error(`challenge must be 'quoted' or 'unquoted', got ${String(behaviour.challenge)}`);
  }
  if (behaviour.badCredentials !== 401 && behaviour.badCredentials !== 400) {
    throw new Error(`badCredentials must be 401 or 400, got ${String(behaviour.badCredentials)}`);
  }
  return behaviour;
}
