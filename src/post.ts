import { logoutStep } from './logout-step.ts';
import { toolkitRuntime } from './toolkit.ts';

await logoutStep(toolkitRuntime());
