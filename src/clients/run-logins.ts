// Running the planned logins: files side by side, writers of one file one after another, the
// containers tools confirming a shared login, client processes held to the number of cores.
import { availableParallelism } from 'node:os';
import { clientLogin, clientSees, type ClientContext, type ClientTool } from './run.ts';
import { sharesContainersAuth } from './commands.ts';
import type { HostCredentials } from '../iam/credential.ts';
import { groupBy } from '../lib/collections.ts';
import { confirmed, type Outcome, type Target } from './plan.ts';
import { writeThenConfirm } from './schedule.ts';
import type { ClientName } from '../inputs/settings.ts';
import { Slots } from './slots.ts';

const WRITE = 0;
const CONFIRM = 1;

/** What the step does around each login: note it before its client starts, guard its writes, hear its outcome. */
export interface LoginHooks {
  /** Before any client runs for the target (a login or a confirmation). */
  intend(target: Target): Promise<void>;
  /** Runs a writer of the target's file; may refuse with a failed outcome (another job holds the file). */
  exclusive(target: Target, write: () => Promise<Outcome>): Promise<Outcome>;
  /** Hears of each outcome the moment it is known. */
  record(target: Target, outcome: Outcome): void;
}

/** Runs every target, each with its host's credential. Never rejects for a client's failure. */
export async function runLogins(
  targets: readonly Target[],
  tools: ReadonlyMap<ClientName, ClientTool>,
  credentials: HostCredentials,
  ctx: ClientContext,
  { intend, exclusive, record }: LoginHooks,
): Promise<void> {
  const slots = new Slots(availableParallelism());
  const tool = (t: Target): ClientTool => tools.get(t.client)!;
  const credential = (t: Target) => credentials.get(t.host)!;
  await Promise.all(
    groupBy(targets, (t) => t.file).map((group) =>
      writeThenConfirm(
        group,
        (t) => sharesContainersAuth(t.client),
        async (t) => {
          const outcome = await slots.run(WRITE, () =>
            exclusive(t, async () => {
              await intend(t);
              return clientLogin(tool(t), t.host, credential(t), ctx);
            }),
          );
          record(t, outcome);
          return outcome;
        },
        async (t, writer, check) => {
          await intend(t);
          if (check && !(await slots.run(CONFIRM, () => clientSees(tool(t), t.host, credential(t).username, ctx)))) return undefined;
          const outcome = confirmed(t, writer);
          record(t, outcome);
          return outcome;
        },
      ),
    ),
  );
}
