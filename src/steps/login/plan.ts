// The login's plan: every client into every host, each with the credentials file its client writes,
// writers of a shared file in the order that makes the shared login cheapest.
import { inWriteOrder } from '../../clients/commands.ts';
import { plan, type Target } from '../../clients/plan.ts';
import type { ClientTool } from '../../clients/run.ts';
import { credentialsFile } from '../../credential-files/paths.ts';
import { platformOf } from '../../credential-files/platform.ts';

export function planLogins(hosts: readonly string[], tools: readonly ClientTool[], env: NodeJS.ProcessEnv): Target[] {
  const platform = platformOf(env);
  return plan(hosts, inWriteOrder(tools.map((t) => t.name))).map((l) => ({ ...l, file: credentialsFile(l.client, platform) }));
}
