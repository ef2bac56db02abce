// Phase 5 of the login step: what the planned (file, host) entries hold now, kept aside for post
// unless it is another run's login of ours.
import type { Target } from '../clients/plan.ts';
import { earlierSecrets, readEarlier, saveEarlier } from '../credential-files/earlier.ts';
import { pairHash } from '../credential-files/ours.ts';
import type { Credential } from '../iam/credential.ts';
import { inRunnerTemp, runnerTemp } from './login-environment.ts';
import { ourLogins } from './our-logins.ts';
import type { Runtime } from './runtime.ts';
import type { StateWriter } from './state.ts';

export interface EarlierContext {
  readonly targets: readonly Target[];
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly run: string;
  readonly folder: string;
  readonly credential: Credential;
}

export async function keepEarlier(rt: Runtime, state: StateWriter, c: EarlierContext): Promise<void> {
  const found = await readEarlier(c.targets, c.env, c.timeoutMs);
  for (const s of earlierSecrets(found)) rt.mask(s);
  const hash = pairHash(c.credential.username, c.credential.secret);
  const earlier = await ourLogins(rt, state, found, { run: c.run, folder: c.folder, hash });
  if (earlier.length === 0) return;
  const hosts = earlier.map((e) => e.host);
  const path = await inRunnerTemp(runnerTemp(rt), 'keep earlier credentials aside', () => saveEarlier(c.folder, earlier));
  state.earlier(path, hosts);
  rt.info(`Kept aside the credentials ${hosts.join(', ')} had before ${rt.words.run}; ${rt.words.undoer} puts them back.`);
}
