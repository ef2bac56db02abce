// The action's post step on a GitHub runner. Exports run(), so `npx @github/local-action` runs it from source.
import { toolkitRuntime } from './github/runtime.ts';
import { describe } from './lib/errors.ts';
import { logoutStep } from './steps/logout/step.ts';

export async function run(): Promise<void> {
  const rt = toolkitRuntime();
  try {
    await logoutStep(rt);
  } catch (error) {
    // Post never fails the job.
    rt.warning(describe(error), 'logout');
  }
}
