// What of main's state post may act on: values of main's run only (the state module's reader), and
// paths only inside main's own folder under RUNNER_TEMP, verified before post reads or deletes anything.
import { liesIn, runnerTemp, verifiedRunFolder } from '../../credential-files/run-folder.ts';
import type { Runtime } from '../runtime.ts';
import { readState } from '../state/reader.ts';
import type { StepState } from '../state/step-state.ts';

export interface TrustedState extends StepState {
  /** Main's folder, when it is still there and provably main's. */
  readonly folder: string | undefined;
}

export async function trustedState(rt: Runtime): Promise<TrustedState> {
  const state = readState(rt);
  const folder = state.run ? await verifiedRunFolder(runnerTemp(rt.env), state.run) : undefined;
  const inside = async (path: string | undefined): Promise<boolean> => !!path && !!folder && (await liesIn(path, folder));
  return {
    ...state,
    folder,
    isolation: (await inside(state.isolation?.dir)) ? state.isolation : undefined,
    earlierPath: (await inside(state.earlierPath)) ? state.earlierPath : undefined,
  };
}
