// The compute resources the keyless tests run on: a cluster, and a trusted profile whose rule trusts
// its service account ci/runner; a place to write pods' token files.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crRule, type ClusterRecord, type Emulator, type ProfileRecord } from '../emulator/index.ts';

export interface CiRunner {
  readonly cluster: ClusterRecord;
  /** `ci-runner`: Writer on namespace ns, trusting service account ci/runner of the cluster. */
  readonly profile: ProfileRecord;
  /** A folder any user may enter, for pods' token files. */
  readonly dir: string;
  /** Writes a file of this text in `dir`; returns its path. */
  readonly tokenFile: (text: string) => Promise<string>;
}

export async function ciRunner(emu: Emulator): Promise<CiRunner> {
  const cluster = emu.addCluster();
  const profile = emu.addProfile({
    name: 'ci-runner',
    policies: [{ role: 'Writer', namespace: 'ns' }],
    computeResources: [crRule('IKS_SA', { service_instance: cluster.id, namespace: 'ci', name: 'runner' })],
  });
  const dir = await mkdtemp(join(tmpdir(), 'icr-pod-'));
  await chmod(dir, 0o755);
  let files = 0;
  const tokenFile = async (text: string): Promise<string> => {
    const path = join(dir, `sa-token-${++files}`);
    await writeFile(path, text);
    return path;
  };
  return { cluster, profile, dir, tokenFile };
}
