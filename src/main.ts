import { loginStep } from './login-step.ts';
import { toolkitRuntime } from './toolkit.ts';

await loginStep(toolkitRuntime());
