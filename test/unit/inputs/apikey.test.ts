import { describe, expect, it } from 'vitest';
import { parseApiKey } from '../../../src/inputs/apikey.ts';

const KEY = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG';

describe('api-key', () => {
  it('trims surrounding whitespace and newlines', () => {
    expect(parseApiKey(`\n  ${KEY}\r\n`).key).toBe(KEY);
  });

  it('is empty when only whitespace was given', () => {
    expect(parseApiKey(' \n ')).toEqual({ key: '', secrets: [] });
  });

  it('reads the key file IBM Cloud offers for download and masks all of it', () => {
    const file = JSON.stringify({ name: 'ci-key', description: 'push from CI', createdAt: '2026-01-02T03:04+0000', apikey: KEY }, null, 2);
    const parsed = parseApiKey(file);
    expect(parsed.key).toBe(KEY);
    expect(parsed.secrets).toEqual(expect.arrayContaining([KEY, 'ci-key', 'push from CI', file]));
  });

  it.each([
    ['apikey', 'ibmcloud iam service-api-key-create … --output json'],
    ['apiKey', "the console's apiKey.json"],
    ['Apikey', "Terraform's ibm_iam_service_api_key file"],
    ['APIKEY', 'any other case'],
  ])('reads the key from a file whose field is %s (%s)', (field, _from) => {
    const parsed = parseApiKey(JSON.stringify({ name: 'ci-key', [field]: ` ${KEY} `, id: 'ApiKey-1234' }));
    expect(parsed.key).toBe(KEY);
    expect(parsed.secrets).toEqual(expect.arrayContaining([KEY, 'ci-key', 'ApiKey-1234']));
  });

  it.each([
    [`${KEY.slice(0, 20)} ${KEY.slice(20)}`, /whitespace or control characters inside the key/],
    [`${KEY}\u0007`, /whitespace or control characters inside the key/],
    ['eyJhbGciOiJSUzI1NiJ9.eyJpYW1faWQiOiJ4In0.c2lnbmF0dXJl', /holds a JWT/],
    ['{"apikey": ', /not valid JSON/],
    [
      '{"name": "x"}',
      /without an API key field \("apikey" as ibmcloud writes it, "apiKey" as in the console's apiKey.json, or "Apikey" as Terraform writes it\)/,
    ],
    ['{"apikey": 7}', /without an API key field/],
    ['{"api_key": "x"}', /without an API key field/],
  ])('refuses %j', (input, message) => {
    expect(() => parseApiKey(input)).toThrow(message);
  });

  // Each refused for the rule it names (an accepted key would give no message to search), and none of
  // the messages quotes the key.
  it.each([
    [`${KEY} x`, /whitespace or control characters inside the key/],
    [`{"apikey": "${KEY} y"}`, /whitespace or control characters inside the key/],
    [`{${KEY}`, /not valid JSON/],
  ])('never puts the key into its error messages (%#)', (bad, rule) => {
    const message = ((): string => {
      try {
        return `accepted as ${parseApiKey(bad).key.length} characters`;
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(rule);
    expect(message).not.toContain(KEY.slice(0, 12));
  });
});
