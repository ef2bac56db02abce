// Scheduling client commands so that writers of one credentials file never overlap. Pure orchestration.
import type { ClientName } from '../inputs/settings.ts';
import type { Login, Outcome } from './plan.ts';

/**
 * Runs groups concurrently and the items of each group one after another. `perGroup` makes each
 * group's step, so a step can remember what happened earlier in its own group.
 */
export async function runGrouped<T, R>(groups: readonly (readonly T[])[], perGroup: () => (item: T) => Promise<R>): Promise<R[]> {
  const results = await Promise.all(
    groups.map(async (group) => {
      const step = perGroup();
      const out: R[] = [];
      for (const item of group) out.push(await step(item));
      return out;
    }),
  );
  return results.flat();
}

/**
 * Logs in the targets that write one credentials file. Writers go one after another: the file is not
 * safe to write twice at once. A target that can share the login another client wrote for its host
 * only confirms it, once that login is written: a confirmation only reads, and the containers tools
 * replace the file atomically, so it may overlap the next writer. A target that
 * cannot confirm logs in on its own once the writers are done.
 *
 * Each client checks once per file: a client that sees one host's login in the file reads that file,
 * and the file does not change with the host (docs/icr.md, "The clients"). So for later hosts `confirm`
 * is called with `check` false and only records what is already proven; when the one check failed, the
 * client logs in on its own for every host.
 */
export async function writeThenConfirm<T extends Login>(
  group: readonly T[],
  canShare: (target: T) => boolean,
  write: (target: T) => Promise<Outcome>,
  confirm: (target: T, writer: ClientName, check: boolean) => Promise<Outcome | undefined>,
): Promise<Outcome[]> {
  const writers = new Map<string, ClientName>();
  const checks = new Map<ClientName, Promise<boolean>>();
  const outcomes: Outcome[] = [];
  const confirming: Promise<[T, Outcome | undefined]>[] = [];
  let ready: T[] = [];
  // Confirmations start behind the next writer, so a writer never waits for a confirmation's turn.
  const startConfirming = (): void => {
    for (const t of ready) {
      const writer = writers.get(t.host)!;
      const checked = checks.get(t.client);
      const result = checked ? checked.then((sees) => (sees ? confirm(t, writer, false) : undefined)) : confirm(t, writer, true);
      if (!checked)
        checks.set(
          t.client,
          result.then((outcome) => outcome !== undefined),
        );
      confirming.push(result.then((outcome) => [t, outcome]));
    }
    ready = [];
  };
  for (const target of group) {
    if (canShare(target) && writers.has(target.host)) {
      ready.push(target);
      continue;
    }
    const writing = write(target);
    startConfirming();
    const outcome = await writing;
    outcomes.push(outcome);
    if (outcome.ok && canShare(target)) writers.set(target.host, target.client);
  }
  startConfirming();
  for (const [target, outcome] of await Promise.all(confirming)) outcomes.push(outcome ?? (await write(target)));
  return outcomes;
}
