import { describe } from './errors.ts';
import { logoutStep } from './logout-step.ts';
import { toolkitRuntime } from './toolkit.ts';

const rt = toolkitRuntime();
try {
  await logoutStep(rt);
} catch (error) {
  // Post never fails the job.
  rt.warning(describe(error), 'logout');
}
