// Runs the emulator until SIGINT/SIGTERM and prints one JSON line about it on stdout once ready.
// `node test/emulator/cli.ts …` runs this file: cli.ts is a symbolic link to it, and Node runs a
// script under its real name, so plain JavaScript starts on every Node (Node 20 cannot run a .ts
// file at all). The emulator itself is TypeScript and is loaded only where Node strips types itself.
// Written so that it is valid TypeScript too (tsc checks it through cli.ts).
import { parseArgs } from 'node:util';

const USAGE = `Usage: node test/emulator/cli.ts [options]

Runs the ICR/IAM emulator on 127.0.0.1 until Ctrl-C (SIGINT) or SIGTERM. Once ready it prints one
JSON line: {regions, hosts, iamUrl, caFile, accounts, keys, profileId, entitled?}.

Options:
  --regions LIST     regions by IBM Cloud region ID, e.g. us-south,eu-de (each its own host)
  --hosts N          the first N of us-south, eu-de, eu-gb, jp-tok, au-syd (default 1)
  --no-registry      no docker-registry processes: each host answers the /v2/ ping itself
  --refresh-tokens   IAM issues a real refresh token for every API-key grant
  --entitled         also IBM's entitled registry (cp.icr.io): username cp, an entitlement key
  -h, --help         this text

ICR answers the strict way (bare challenges, 400 for bad credentials); ICR_EMULATOR_STRICT=0 the lenient one (test/emulator/README.md).
Needs Node 22.18 or later (it runs TypeScript itself), docker-registry and openssl.
`;

/** One line for what went wrong, then the usage; exit 2 as for any misuse. */
const fail = (message = '') => {
  process.stderr.write(`icr-emulator: ${message}\n\n${USAGE}`);
  return process.exit(2);
};

const read = () => {
  try {
    return parseArgs({
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        'no-registry': { type: 'boolean', default: false },
        hosts: { type: 'string', default: '1' },
        regions: { type: 'string' },
        'refresh-tokens': { type: 'boolean', default: false },
        entitled: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
};
const values = read();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const hostCount = Number(values.hosts);
if (!Number.isInteger(hostCount) || hostCount < 1) fail(`--hosts needs a positive integer, got ${values.hosts}`);
if (!process.features.typescript) {
  process.stderr.write(
    `icr-emulator: this Node (${process.version}) does not run TypeScript; the emulator needs Node 22.18 or later, with type stripping on.\n`,
  );
  process.exit(1);
}

const { startEmulator } = await import('./index.ts');
const emulator = await startEmulator({
  registry: !values['no-registry'],
  hostCount,
  ...(values.regions ? { regions: values.regions.split(',') } : {}),
  refreshTokens: values['refresh-tokens'],
  entitled: values.entitled,
}).catch((err) => {
  process.stderr.write(`icr-emulator: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  return process.exit(1);
});
let stopping = false;
const shutdown = (signal = '') => {
  if (stopping) return;
  stopping = true;
  emulator.stop().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`icr-emulator: stop failed after ${signal}: ${String(err)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

// Only once a signal can stop it cleanly is it ready: a caller may signal as soon as it reads the line.
const { regions, hosts, iamUrl, caFile, accounts, keys, profileId, entitled } = emulator;
const ready = { regions, hosts, iamUrl, caFile, accounts, keys, profileId };
process.stdout.write(`${JSON.stringify(entitled ? { ...ready, entitled } : ready)}\n`);
