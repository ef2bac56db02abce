// Putting back what a (file, host) entry held before main: after that entry's last logout, never
// beside another writer of the file.
import { done, entryKey, failed, type Outcome, type Target } from '../../clients/plan.ts';
import { restoreEarlier, type Earlier } from '../../credential-files/earlier.ts';

export async function putBack(target: Target, earlier: readonly Earlier[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Outcome[]> {
  const mine = earlier.filter((e) => entryKey(e) === entryKey(target));
  if (mine.length === 0) return [];
  const problems = await restoreEarlier(mine, env, timeoutMs);
  if (problems.length === 0) return [done(target, 'put-back')];
  return problems.map((problem) => failed(target, problem));
}
