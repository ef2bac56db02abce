// How each region answers where ICR answers in more than one way. The defaults are the strict forms
// ICR is known to send (issue 17), so a reading of src/ that only fits the kinder ones fails here
// first; ICR_EMULATOR_STRICT=0 (or a comma list of the names below, which stay strict while the rest
// turn lenient) makes every emulator of a run answer the kinder way, to compare.
import type { EmulatorOptions } from '../types.ts';
import type { IcrBehaviour } from './types.ts';

/** The forms ICR also answers, which the lenient ones hide (ICR docs: "If you get a 400 Bad Request message…"). */
export const STRICT_BEHAVIOUR: IcrBehaviour = { challenge: 'unquoted', badCredentials: 400 };

/** The forms Distribution itself answers: quoted challenges, 401 for bad credentials. */
export const LENIENT_BEHAVIOUR: IcrBehaviour = { challenge: 'quoted', badCredentials: 401 };

/** What a region answers unless told otherwise: the strict forms. */
export const DEFAULT_BEHAVIOUR: IcrBehaviour = STRICT_BEHAVIOUR;

/** The defaults after ICR_EMULATOR_STRICT: unset, `1` or `all` strict; `0` lenient; names such as `challenge` strict alone. */
export function baseBehaviour(env: NodeJS.ProcessEnv = process.env): IcrBehaviour {
  const value = env['ICR_EMULATOR_STRICT']?.trim() ?? '';
  if (value === '' || value === '1' || value === 'all') return { ...STRICT_BEHAVIOUR };
  if (value === '0') return { ...LENIENT_BEHAVIOUR };
  const behaviour = { ...LENIENT_BEHAVIOUR };
  for (const name of value.split(',').map((n) => n.trim())) {
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
