// Puts images into a registry before any client asks for them: an OCI layout from writeOciImage,
// pushed blob by blob and then its manifest straight to the registry's port, with a token we sign
// ourselves, so the registry checks every digest as it does for a client's push.
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertSet } from '../net/certs.ts';
import type { EntitledImage } from '../entitled/types.ts';
import { writeOciImage } from './oci-image.ts';
import { SERVICE } from '../token-service/service.ts';
import { signRegistryToken } from '../token-service/registry-tokens.ts';

interface Answer {
  status: number;
  location: string | undefined;
  digest: string | undefined;
  body: string;
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout: 15_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          digest: res.headers['docker-content-digest'] as string | undefined,
          body: text,
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`seed: ${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`seed: ${what} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
}

interface Manifest {
  config: { digest: string };
  layers: Array<{ digest: string }>;
  mediaType: string;
}

/** Pushes one fresh image as `repository:tag` (e.g. `cp/ibm-mq/mq:9`) into the registry on `port`. */
export async function seedImage(port: number, certs: CertSet, issuer: string, reference: string, workDir: string): Promise<EntitledImage> {
  const colon = reference.lastIndexOf(':');
  if (colon <= 0 || reference.slice(colon).includes('/')) throw new Error(`seed: ${reference} needs a tag (repository:tag)`);
  const [repository, tag] = [reference.slice(0, colon), reference.slice(colon + 1)];
  const layout = await writeOciImage(join(workDir, repository.replaceAll('/', '_')), tag);
  const token = signRegistryToken(certs, {
    iss: issuer,
    sub: 'icr-emulator seed',
    aud: SERVICE,
    access: [{ type: 'repository', name: repository, actions: ['pull', 'push'] }],
  });
  const auth = { Authorization: `Bearer ${token}` };
  const blob = (digest: string): Promise<Buffer> => readFile(join(layout.dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));

  const index = JSON.parse(await readFile(join(layout.dir, 'index.json'), 'utf8')) as {
    manifests: Array<{ digest: string; annotations?: Record<string, string> }>;
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`seed: no ${tag} in ${layout.dir}`);
  const manifestBytes = await blob(entry.digest);
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  for (const { digest } of [manifest.config, ...manifest.layers]) {
    const started = await send(port, 'POST', `/v2/${repository}/blobs/uploads/`, { ...auth, 'Content-Length': '0' });
    expectStatus(started, 202, `opening an upload to ${repository}`);
    const data = await blob(digest);
    const target = new URL(started.location ?? '', 'http://registry');
    target.searchParams.set('digest', digest);
    const put = await send(
      port,
      'PUT',
      `${target.pathname}${target.search}`,
      {
        ...auth,
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(data.length),
      },
      data,
    );
    expectStatus(put, 201, `finishing the upload of ${digest}`);
  }
  const pushed = await send(
    port,
    'PUT',
    `/v2/${repository}/manifests/${tag}`,
    {
      ...auth,
      'Content-Type': manifest.mediaType,
      'Content-Length': String(manifestBytes.length),
    },
    manifestBytes,
  );
  expectStatus(pushed, 201, `putting the manifest ${reference}`);
  return { repository, tag, digest: pushed.digest ?? entry.digest };
}
