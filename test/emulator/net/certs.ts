// Throw-away TLS material, made with the openssl CLI (no shell): a CA, a server cert for
// 127.0.0.1/localhost signed by it (and one per real registry name a region is served under), and a
// self-signed cert whose key signs registry JWTs (docker-registry's auth.token.rootcertbundle).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const run = promisify(execFile);

export interface CertSet {
  caFile: string;
  caPem: string;
  serverKeyPem: string;
  serverCertPem: string;
  tokenCertFile: string;
  tokenKey: KeyObject;
  tokenPublicKey: KeyObject;
  /** base64 DER of the token-signing cert, for the JWT header's x5c */
  tokenCertDerB64: string;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

const COMMON = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'];

/** openssl's arguments for `<file>.key` and `<file>.crt`: a server cert for `san`, signed by the CA in `dir`. */
function serverCertArgs(dir: string, file: string, cn: string, san: string): string[] {
  return [
    ...COMMON,
    '-keyout',
    join(dir, `${file}.key`),
    '-out',
    join(dir, `${file}.crt`),
    '-CA',
    join(dir, 'ca.crt'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-subj',
    `/CN=${cn}`,
    '-addext',
    `subjectAltName=${san}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ];
}

/**
 * A server cert naming `name` alone (`us.icr.io`), signed by the CA generateCerts made in `dir`: a
 * region served under a real name proves it to clients as that name, and as no other.
 */
export async function nameCert(dir: string, name: string): Promise<{ key: string; cert: string }> {
  const file = `name-${name}`;
  await openssl(serverCertArgs(dir, file, name, `DNS:${name}`));
  const [key, cert] = await Promise.all([readFile(join(dir, `${file}.key`), 'utf8'), readFile(join(dir, `${file}.crt`), 'utf8')]);
  return { key, cert };
}

export async function generateCerts(dir: string): Promise<CertSet> {
  const p = (name: string): string => join(dir, name);
  await openssl([
    ...COMMON,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-subj',
    '/CN=icr-emulator test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  // The two leaf certs are independent of each other: make them in parallel.
  await Promise.all([
    openssl(serverCertArgs(dir, 'server', '127.0.0.1', 'IP:127.0.0.1,DNS:localhost')),
    openssl([...COMMON, '-keyout', p('token.key'), '-out', p('token.crt'), '-subj', '/CN=icr-emulator token signer']),
  ]);
  const [caPem, serverKeyPem, serverCertPem, tokenKeyPem, tokenCertPem] = (await Promise.all(
    ['ca.crt', 'server.key', 'server.crt', 'token.key', 'token.crt'].map((f) => readFile(p(f), 'utf8')),
  )) as [string, string, string, string, string];
  const tokenCert = new X509Certificate(tokenCertPem);
  return {
    caFile: p('ca.crt'),
    caPem,
    serverKeyPem,
    serverCertPem,
    tokenCertFile: p('token.crt'),
    tokenKey: createPrivateKey(tokenKeyPem),
    tokenPublicKey: tokenCert.publicKey,
    tokenCertDerB64: tokenCert.raw.toString('base64'),
  };
}
