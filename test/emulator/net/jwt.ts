// Minimal RS256 JWT signing and verification with node:crypto (no npm deps allowed).
import { createSign, createVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export type JwtPayload = Record<string, unknown>;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(header: Record<string, unknown>, payload: JwtPayload, key: KeyObject): string {
  const input = `${b64url({ ...header, alg: 'RS256' })}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

/** Returns the payload when the signature is valid and `exp` (if present) lies in the future. */
export function verifyJwt(token: string, key: KeyObject, nowSeconds = Date.now() / 1000): JwtPayload | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, signature] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (header.alg !== 'RS256') return undefined;
    const ok = createVerify('RSA-SHA256').update(`${head}.${body}`).verify(key, Buffer.from(signature, 'base64url'));
    if (!ok) return undefined;
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtPayload;
    if (typeof payload.exp === 'number' && payload.exp <= nowSeconds) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

/** Decodes a JWT payload without checking anything (for tests and logging). */
export function decodeJwtPayload(token: string): JwtPayload {
  const body = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtPayload;
}
