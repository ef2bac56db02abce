// Writes a tiny OCI image layout by hand (one gzip tar layer, config, manifest, index.json,
// oci-layout) so skopeo can push without a container daemon or storage driver.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** One ustar entry for a regular file, followed by the end-of-archive blocks. */
function tarOneFile(name: string, content: Buffer, mtime: number): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string): void => {
    header.write(value, offset, length, 'ascii');
  };
  const octal = (offset: number, length: number, value: number): void => {
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  };
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, content.length);
  octal(136, 12, mtime);
  field(148, 8, '        '); // checksum is computed with its own field as spaces
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  field(265, 32, 'root');
  field(297, 32, 'root');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

async function writeBlob(dir: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
  return { digest, size: data.length };
}

interface IndexJson {
  schemaVersion: number;
  manifests: Array<{ annotations?: Record<string, string> }>;
}

/**
 * Writes (or adds a tag to) an OCI layout in `dir`. Each call makes a distinct image (the layer
 * holds a random nonce), so pushes really upload. Returns `ref` like `oci:DIR:latest` for skopeo.
 * `options.layerBytes` (extension) pads the layer with that many random bytes.
 */
export async function writeOciImage(
  dir: string,
  tag = 'latest',
  options: { layerBytes?: number } = {},
): Promise<{ dir: string; ref: string }> {
  const root = resolve(dir);
  await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
  const mtime = Math.floor(Date.now() / 1000);
  // layerBytes (optional extension) adds incompressible filler so pushes move real megabytes.
  const content = Buffer.concat([
    Buffer.from(`hello from icr-emulator ${randomBytes(8).toString('hex')}\n`),
    randomBytes(options.layerBytes ?? 0),
  ]);
  const tar = tarOneFile('hello.txt', content, mtime);
  const layer = await writeBlob(root, gzipSync(tar));
  const config = await writeBlob(
    root,
    Buffer.from(
      JSON.stringify({
        created: new Date(mtime * 1000).toISOString(),
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['/hello.txt'] },
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
        history: [{ created: new Date(mtime * 1000).toISOString(), created_by: 'icr-emulator writeOciImage' }],
      }),
    ),
  );
  const manifest = await writeBlob(
    root,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );

  const indexFile = join(root, 'index.json');
  let index: IndexJson = { schemaVersion: 2, manifests: [] };
  try {
    index = JSON.parse(await readFile(indexFile, 'utf8')) as IndexJson;
  } catch {
    // no layout yet: start a fresh index
  }
  index.manifests = index.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] !== tag);
  index.manifests.push({
    mediaType: MANIFEST,
    ...manifest,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  } as IndexJson['manifests'][number]);
  await writeFile(indexFile, JSON.stringify(index));
  await writeFile(join(root, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { dir: root, ref: `oci:${root}:${tag}` };
}
