// Discovery on the step's own PATH: what `auto` takes, and that docker-config needs no program.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverClients } from '../../../src/clients/discover.ts';
import { OWN_CLIENTS } from '../../../src/credential-files/docker/config-client.ts';
import { fakeClients } from '../../fakes/clients.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function pathOf(names: readonly string[]): Promise<string> {
  const { dir } = names.length > 0 ? await fakeClients(names) : { dir: await mkdtemp(join(tmpdir(), 'icr-empty-bin-')) };
  dirs.push(dir);
  return dir;
}

const names = async (wanted: Parameters<typeof discoverClients>[0], on: readonly string[]): Promise<string[]> =>
  discoverClients(wanted, { PATH: await pathOf(on) }, OWN_CLIENTS).map((t) => t.name);

describe('discoverClients', () => {
  it.each([
    [
      ['docker', 'podman', 'skopeo'],
      ['docker', 'podman', 'skopeo'],
    ],
    [['podman'], ['podman', 'docker-config']],
    [
      ['buildah', 'skopeo'],
      ['buildah', 'skopeo', 'docker-config'],
    ],
    [[], ['docker-config']],
  ])('auto with %j on PATH is %j', async (on, expected) => {
    expect(await names('auto', on)).toEqual(expected);
  });

  it('docker-config named is one of ours: no program, nothing looked up', async () => {
    const [tool] = discoverClients(['docker-config'], { PATH: await pathOf([]) }, OWN_CLIENTS);
    expect(tool).toMatchObject({ name: 'docker-config', path: '' });
    expect(tool!.own).toBeDefined();
  });

  it('a named program missing from PATH is one line naming it', async () => {
    const path = await pathOf(['docker']);
    expect(() => discoverClients(['docker-config', 'podman'], { PATH: path }, OWN_CLIENTS)).toThrow(
      /^Client podman is listed in input clients but not installed/,
    );
  });
});
