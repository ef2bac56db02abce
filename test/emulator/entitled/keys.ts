// Entitlement keys for IBM's entitled registry, shaped as IBM issues them: JWTs signed HS256 with the
// header `{"alg":"HS256"}` and a payload `{"iss":"IBM Marketplace","iat":…,"jti":"<32 hex>"}` (the
// shape of the many keys committed to public repositories by mistake). Each key entitles repository
// prefixes (`cp/` is every image); a revoked key is refused.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntitlementKeyOptions } from './types.ts';
import { nowSeconds } from '../net/http-util.ts';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

export class EntitlementKeys {
  private readonly secret = randomBytes(32);
  private readonly live = new Map<string, string[]>();
  /** every key ever made, revoked ones included: all are secrets for the leak scan */
  readonly every: string[] = [];

  private sign(input: string): string {
    return createHmac('sha256', this.secret).update(input).digest('base64url');
  }

  add(options: EntitlementKeyOptions = {}): string {
    const entitles = options.entitles ?? ['cp/'];
    if (entitles.length === 0 || entitles.some((p) => p === '' || p.startsWith('/'))) {
      throw new Error(`addKey: entitles takes repository prefixes such as cp/ibm-mq/, got ${JSON.stringify(entitles)}`);
    }
    const payload = Buffer.from(JSON.stringify({ iss: 'IBM Marketplace', iat: nowSeconds(), jti: randomBytes(16).toString('hex') }));
    const input = `${HEADER}.${payload.toString('base64url')}`;
    const key = `${input}.${this.sign(input)}`;
    this.live.set(key, [...entitles]);
    this.every.push(key);
    return key;
  }

  revoke(key: string): void {
    if (!this.live.delete(key)) throw new Error('revokeKey: not a live entitlement key of this emulator');
  }

  /** Whether this live key, signed by us, entitles the repository. */
  entitles(key: string, repository: string): boolean {
    return this.valid(key) && (this.live.get(key) ?? []).some((prefix) => repository.startsWith(prefix));
  }

  valid(key: string): boolean {
    const dot = key.lastIndexOf('.');
    const signature = Buffer.from(key.slice(dot + 1));
    const expected = Buffer.from(this.sign(key.slice(0, dot)));
    return dot > 0 && signature.length === expected.length && timingSafeEqual(signature, expected) && this.live.has(key);
  }
}
