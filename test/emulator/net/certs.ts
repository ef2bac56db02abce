// Throw-away TLS material, made with the openssl CLI (no shell): a CA, a server cert for
// 127.0.0.1/localhost signed by it, and a self-signed cert whose key signs registry JWTs
// (docker-registry's auth.token.rootcertbundle).
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

export async function generateCerts(dir: string): Promise<CertSet> {
  const p = (name: string): string => join(dir, name);
  const common = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'];
  await openssl([
    ...common,
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
    openssl([
      ...common,
      '-keyout',
      p('server.key'),
      '-out',
      p('server.crt'),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'extendedKeyUsage=serverAuth',
    ]),
    openssl([...common, '-keyout', p('token.key'), '-out', p('token.crt'), '-subj', '/CN=icr-emulator token signer']),
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
