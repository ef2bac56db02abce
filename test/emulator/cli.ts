// Runs the emulator until SIGINT/SIGTERM:
//   node test/emulator/cli.ts [--no-registry] [--regions us-south,eu-de | --hosts N] [--refresh-tokens]
// Prints one JSON line {regions, hosts, iamUrl, caFile, accounts, keys, profileId} on stdout once ready.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.ts';

const { values } = parseArgs({
  options: {
    'no-registry': { type: 'boolean', default: false },
    hosts: { type: 'string', default: '1' },
    regions: { type: 'string' },
    'refresh-tokens': { type: 'boolean', default: false },
  },
  strict: true,
});

const hostCount = Number(values.hosts);
if (!Number.isInteger(hostCount) || hostCount < 1) {
  process.stderr.write(`--hosts needs a positive integer, got ${values.hosts}\n`);
  process.exit(2);
}

const emulator = await startEmulator({
  registry: !values['no-registry'],
  hostCount,
  ...(values.regions ? { regions: values.regions.split(',') } : {}),
  refreshTokens: values['refresh-tokens'],
});
const { regions, hosts, iamUrl, caFile, accounts, keys, profileId } = emulator;
process.stdout.write(`${JSON.stringify({ regions, hosts, iamUrl, caFile, accounts, keys, profileId })}\n`);

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  emulator.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`stop failed after ${signal}: ${String(err)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
