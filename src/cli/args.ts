// The CLI's argv, read into the same input names the action uses. Pure.
import { parseArgs } from 'node:util';
import { UserError } from '../lib/errors.ts';
import { INPUT } from '../inputs/settings.ts';

export interface CliCommand {
  readonly command: 'login' | 'logout' | 'help' | 'version';
  /** Action input name → value, as the runner would pass them. */
  readonly inputs: Record<string, string>;
  readonly apiKeyStdin: boolean;
  /** Whether the key variables are read: not with a compute identity, which uses no key (a stray one is ambient, not meant). */
  readonly keyFromEnv: boolean;
  readonly entitlementKeyStdin: boolean;
  readonly quiet: boolean;
}

/** The CLI's options; each login option is named as the action input it sets. */
export const OPTIONS = {
  region: { type: 'string' },
  registry: { type: 'string' },
  'private-endpoint': { type: 'boolean' },
  clients: { type: 'string', multiple: true },
  client: { type: 'string', multiple: true },
  'auth-type': { type: 'string' },
  'trusted-profile': { type: 'string' },
  identity: { type: 'string' },
  'metadata-endpoint': { type: 'string' },
  'cr-token-file': { type: 'string' },
  'iam-endpoint': { type: 'string' },
  isolate: { type: 'boolean' },
  logout: { type: 'string' },
  timeout: { type: 'string' },
  'missing-key': { type: 'string' },
  images: { type: 'string', multiple: true },
  access: { type: 'string' },
  'create-namespace': { type: 'boolean' },
  'entitled-registry': { type: 'string' },
  'api-key-stdin': { type: 'boolean' },
  'entitlement-key-stdin': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Throws UserError for any usage mistake; the CLI turns that into exit code 2. */
export function parseCli(argv: readonly string[]): CliCommand {
  if (argv.some((a) => a === '--api-key' || a.startsWith('--api-key=') || a === '--apikey' || a.startsWith('--apikey='))) {
    throw new UserError(
      'The API key is never taken from the command line, where other users and logs can see it; set IBMCLOUD_API_KEY, or pipe it in with --api-key-stdin.',
    );
  }
  if (argv.some((a) => a === '--entitlement-key' || a.startsWith('--entitlement-key='))) {
    throw new UserError(
      'The entitlement key is never taken from the command line, where other users and logs can see it; set IBM_ENTITLEMENT_KEY, or pipe it in with --entitlement-key-stdin.',
    );
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const text = (e as Error).message;
    const option = /'(-[^']*)'/.exec(text)?.[1];
    const what =
      /ERR_PARSE_ARGS_UNKNOWN_OPTION/.test(String((e as { code?: string }).code)) && option
        ? `Unknown option ${option}`
        : text.split('.')[0];
    throw new UserError(`${what} (see icr-login --help).`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals[0] && !['login', 'logout'].includes(positionals[0]))) {
    throw new UserError(`Unknown command "${positionals.join(' ')}"; use login or logout (see icr-login --help).`);
  }
  const command = values.help ? 'help' : values.version ? 'version' : ((positionals[0] ?? 'login') as 'login' | 'logout');
  const inputs: Record<string, string> = {};
  const set = (name: string, value: string | boolean | string[] | undefined): void => {
    if (value === undefined) return;
    inputs[name] = Array.isArray(value) ? value.join(',') : String(value);
  };
  set(INPUT.region, values.region);
  set(INPUT.registry, values.registry);
  set(INPUT.privateEndpoint, values['private-endpoint']);
  const clients = [...(values.clients ?? []), ...(values.client ?? [])];
  set(INPUT.clients, clients.length > 0 ? clients : undefined);
  set(INPUT.authType, values['auth-type']);
  set(INPUT.trustedProfile, values['trusted-profile']);
  set(INPUT.identity, values.identity);
  set(INPUT.metadataEndpoint, values['metadata-endpoint']);
  set(INPUT.crTokenFile, values['cr-token-file']);
  set(INPUT.iamEndpoint, values['iam-endpoint']);
  set(INPUT.isolate, values.isolate);
  set(INPUT.logout, values.logout);
  set(INPUT.timeout, values.timeout);
  set(INPUT.missingKey, values['missing-key']);
  set(INPUT.images, values.images);
  set(INPUT.access, values.access);
  set(INPUT.createNamespace, values['create-namespace']);
  set(INPUT.entitledRegistry, values['entitled-registry']);
  if (values['api-key-stdin'] && values['entitlement-key-stdin']) {
    throw new UserError(
      'Only one key can come from stdin; pass the other in its environment variable (IBMCLOUD_API_KEY or IBM_ENTITLEMENT_KEY).',
    );
  }
  if (command === 'logout' && Object.keys(inputs).length > 0) {
    throw new UserError('icr-login logout takes no login options: it logs out what the last login recorded.');
  }
  const keyFromEnv = ['', 'api-key'].includes((values.identity ?? '').trim().toLowerCase());
  return {
    command,
    inputs,
    apiKeyStdin: values['api-key-stdin'] ?? false,
    entitlementKeyStdin: values['entitlement-key-stdin'] ?? false,
    keyFromEnv,
    quiet: values.quiet ?? false,
  };
}
