// `npm start`: the action's main and post steps, run locally against the built-in ICR emulator with the
// clients found on this machine, in a throw-away HOME so your own credentials are never touched.
import { rm } from 'node:fs/promises';
import { startEmulator } from './emulator/index.ts';
import { emulatorInputs, newJob, newMachine } from './harness/machine.ts';
import type { StepRun } from './harness/runner.ts';

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** Shows a step's log as the runner would: mask commands applied, not printed. */
function showLog(title: string, step: StepRun): void {
  const masks = step.stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => l.slice('::add-mask::'.length))
    .sort((a, b) => b.length - a.length);
  const mask = (text: string): string => masks.reduce((t, m) => (m ? t.split(m).join('***') : t), text);
  console.log(bold(`\n── ${title} (exit ${step.code}) ──`));
  for (const line of mask(`${step.stdout}${step.stderr}`).split('\n')) {
    if (line && !line.startsWith('::add-mask::')) console.log(`  ${line}`);
  }
}

const emu = await startEmulator({ registry: false });
const machine = await newMachine(emu);
let code: number;
try {
  const job = await newJob(machine);
  const inputs = emulatorInputs(emu, { clients: process.env['CLIENTS'] ?? 'auto', 'auth-type': process.env['AUTH_TYPE'] ?? 'apikey' });
  console.log(bold('icr-login, run locally against the ICR emulator'));
  console.log(`  registry ${emu.host} and IAM ${emu.iamUrl} on 127.0.0.1; HOME=${machine.home}`);
  console.log(
    `  inputs: ${Object.entries(inputs)
      .map(([k, v]) => `${k}=${k === 'api-key' ? '***' : v}`)
      .join(' ')}`,
  );

  const main = await job.main(inputs);
  showLog('main step', main);
  console.log(bold('\n── outputs ──'));
  for (const [k, v] of Object.entries(main.outputs)) console.log(`  ${k} = ${v}`);
  console.log(bold('\n── job summary ──'));
  console.log(main.summary.replace(/^/gm, '  '));

  const post = await job.post(main);
  showLog('post step', post);
  code = main.code ?? 1;
} finally {
  await emu.stop();
  await rm(machine.dir, { recursive: true, force: true });
}
process.exit(code);
