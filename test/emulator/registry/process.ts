// Runs a real Distribution registry (`docker-registry serve`, Debian package) on a free
// loopback port with token auth that trusts our token-signing cert.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, request } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SERVICE } from '../token-service/service.ts';
import { sleep } from '../net/http-util.ts';

const BINARY = 'docker-registry';
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export interface RegistryProcess {
  port: number;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Asks the OS for a free loopback port (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

/** GET /v2/ status, or 0 when nothing answers yet. */
function probe(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/v2/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function logTail(logFile: string): Promise<string> {
  try {
    return (await readFile(logFile, 'utf8')).split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

async function startOnce(dir: string, realm: string, issuer: string, rootCertBundle: string, attempt: number): Promise<RegistryProcess> {
  const port = await freePort();
  const storage = join(dir, 'registry-storage');
  await mkdir(storage, { recursive: true });

  const config = {
    version: 0.1,
    log: { level: 'info', formatter: 'text' },
    storage: { filesystem: { rootdirectory: storage }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } },
    http: { addr: `127.0.0.1:${port}`, relativeurls: true, secret: randomBytes(16).toString('hex') },
    auth: { token: { realm, service: SERVICE, issuer, rootcertbundle: rootCertBundle } },
  };
  const configFile = join(dir, 'registry-config.yml');
  // JSON is valid YAML, so no YAML writer is needed.
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const logFile = join(dir, `registry-${attempt}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(BINARY, ['serve', configFile], { stdio: ['ignore', fd, fd], cwd: dir });
  } finally {
    closeSync(fd);
  }
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  const earlyExit = exited(child);

  // Safety net: if the test process exits without stop() (crash, timeout), kill our child by PID.
  const killOnExit = (): void => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited(child);
    clearTimeout(killTimer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const outcome = await Promise.race([
      spawnError.then((e) => ({ kind: 'error' as const, e })),
      earlyExit.then(() => ({ kind: 'exit' as const })),
      sleep(100).then(() => ({ kind: 'tick' as const })),
    ]);
    if (outcome.kind !== 'tick') process.off('exit', killOnExit);
    if (outcome.kind === 'error') {
      const code = (outcome.e as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT'
          ? `${BINARY} not found on PATH: install the Debian package docker-registry (apt-get install docker-registry)`
          : `could not start ${BINARY}: ${outcome.e.message}`,
      );
    }
    if (outcome.kind === 'exit') {
      const tail = await logTail(logFile);
      const err = new Error(`${BINARY} exited early (code ${child.exitCode}, signal ${child.signalCode}); log ${logFile}:\n${tail}`);
      (err as Error & { portInUse?: boolean }).portInUse = /address already in use/.test(tail);
      throw err;
    }
    if ((await probe(port)) === 401) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${BINARY} did not answer /v2/ with 401 within ${START_TIMEOUT_MS} ms; log ${logFile}:\n${await logTail(logFile)}`);
    }
  }
  return { port, pid: child.pid ?? -1, logFile, stop };
}

/** Starts one registry with its storage and config in `dir` (one dir per region), trusting `issuer`'s tokens. */
export async function startRegistry(dir: string, realm: string, issuer: string, rootCertBundle: string): Promise<RegistryProcess> {
  // The free port may be taken between our probe and the registry's bind: retry a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(dir, realm, issuer, rootCertBundle, attempt);
    } catch (err) {
      if (attempt >= 3 || !(err as { portInUse?: boolean }).portInUse) throw err;
    }
  }
}
