// The action's main step on a GitHub runner. Exports run(), so `npx @github/local-action` runs it from source.
import { toolkitRuntime } from './github/runtime.ts';
import { describe } from './lib/errors.ts';
import { loginStep } from './steps/login/step.ts';

export async function run(): Promise<void> {
  const rt = toolkitRuntime();
  try {
    await loginStep(rt);
  } catch (error) {
    // loginStep reports its own failures; this is the net under it, still one line.
    rt.fail(describe(error), 'icr-login');
  }
}
