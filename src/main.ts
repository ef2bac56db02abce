import { describe } from './errors.ts';
import { loginStep } from './login-step.ts';
import { toolkitRuntime } from './toolkit.ts';

const rt = toolkitRuntime();
try {
  await loginStep(rt);
} catch (error) {
  // loginStep reports its own failures; this is the net under it, still one line.
  rt.fail(describe(error));
}
