// Logging one client in or out of one host: time limit, transient retries, one-line errors. Process adapter.
import { badRequestFix, errorLine, getLoginArgs, loginArgs, logoutArgs, notLoggedIn } from './commands.ts';
import { ENTITLED_USERNAME } from '../inputs/entitled.ts';
import type { Credential } from '../iam/credential.ts';
import type { ProcessGroups } from './groups.ts';
import { run, type RunResult } from './process.ts';
import { CLIENT_RETRY } from '../lib/limits.ts';
import { final, transient, withRetries, type RetryPolicy } from '../lib/retry.ts';
import { msToSeconds } from '../lib/time.ts';
import { describeOutcome, done, failed, type Outcome } from './plan.ts';
import type { ClientName } from '../inputs/settings.ts';

/**
 * A client that is no process: docker-config writes docker's config.json itself (credential-files/
 * docker/config-client.ts). It is a ClientTool like the programs, so the plan, the write order, the file's
 * lock, the state and post treat it as any client; only its login, logout and check are functions
 * of ours instead of commands. credential-files/ sits above this layer, so the steps hand it in.
 */
export interface OwnClient {
  login(host: string, credential: Credential, ctx: ClientContext): Promise<Outcome>;
  /** As clientLogout: undefined when it did its part, else why not; post reads back either way. */
  logout(host: string, ctx: ClientContext): Promise<string | undefined>;
  sees(host: string, username: string, ctx: ClientContext): Promise<boolean>;
}

export interface ClientTool {
  readonly name: ClientName;
  /** Absolute path found on PATH; '' for a client of ours. */
  readonly path: string;
  /** Set for a client that is no process. */
  readonly own?: OwnClient;
}

export interface ClientContext {
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly policy?: RetryPolicy;
  readonly debug?: (message: string) => void;
  /** The step's process groups, so a cancelled step stops the client. */
  readonly groups?: ProcessGroups;
}

// Causes that may pass; a refused credential never does.
// The HTTP rule of every retry of ours (lib/retry.ts isRetryableStatus): 429 and 5xx, but 501.
const TRANSIENT =
  /\b(429|50[02-9]|5[1-9]\d)\b|toomanyrequests|too many requests|connection reset|connection refused|i\/o timeout|TLS handshake timeout|timed? ?out|unexpected EOF|no such host|temporary failure/i;
const REFUSED = /unauthori[sz]ed|invalid username|incorrect username|denied|\b401\b|\b403\b/i;

export function isTransient(output: string): boolean {
  return TRANSIENT.test(output) && !REFUSED.test(output);
}

function loginFailure(tool: ClientTool, host: string, result: RunResult, timeoutMs: number): string {
  if (result.startError) return `${tool.name} login to ${host} could not start ${tool.path} (${result.startError}).`;
  if (result.timedOut) {
    return `${tool.name} login to ${host} did not finish within ${msToSeconds(timeoutMs)} s and was stopped; check that the runner reaches ${host}, or raise input timeout.`;
  }
  return `${tool.name} login to ${host} failed: ${errorLine(result.stderr, result.stdout)}`;
}

/** A login, retries included, ends within the time limit: a try that timed out is not tried again. */
export function clientLogin(tool: ClientTool, host: string, credential: Credential, ctx: ClientContext): Promise<Outcome> {
  if (tool.own) return tool.own.login(host, credential, ctx);
  const deadline = Date.now() + ctx.timeoutMs;
  const login = { client: tool.name, host };
  return withRetries(
    {
      policy: ctx.policy ?? CLIENT_RETRY,
      deadline,
      onRetry: (outcome) => ctx.debug?.(`${describeOutcome(outcome)} Trying again.`),
    },
    async () => {
      const result = await run(tool.path, loginArgs(credential.username, host), {
        input: `${credential.secret}\n`,
        env: ctx.env,
        timeoutMs: Math.max(1, deadline - Date.now()),
        groups: ctx.groups,
      });
      if (result.code === 0) return final(done(login, 'logged-in'));
      const said = loginFailure(tool, host, result, ctx.timeoutMs);
      const secret = credential.username === ENTITLED_USERNAME ? 'entitlement-key' : 'api-key';
      const fix = result.startError || result.timedOut ? '' : badRequestFix(errorLine(result.stderr, result.stdout), secret);
      const outcome = failed(login, `${said.replace(/\.$/, '')}${fix}`);
      const passing = !result.startError && (result.timedOut || isTransient(`${result.stderr}\n${result.stdout}`));
      return passing ? transient(outcome) : final(outcome);
    },
  );
}

/**
 * Whether a client already sees `username`'s login for a host, written by another client into the
 * file they share. Saves a login with its network round trips; any doubt means "no".
 */
export async function clientSees(tool: ClientTool, host: string, username: string, ctx: ClientContext): Promise<boolean> {
  if (tool.own) return tool.own.sees(host, username, ctx);
  const result = await run(tool.path, getLoginArgs(host), { env: ctx.env, timeoutMs: ctx.timeoutMs, groups: ctx.groups });
  return result.code === 0 && result.stdout.trim() === username;
}

/**
 * Runs a client's logout: undefined when the client says it is done (exit 0, or nothing to remove),
 * else why not, as a clause. Neither is proof: docker exits 0 when its helper could not erase, or when
 * a full disk kept it from saving (docs/icr.md#logout); only reading back what the entry holds says
 * whether it is gone.
 */
export async function clientLogout(tool: ClientTool, host: string, ctx: ClientContext): Promise<string | undefined> {
  if (tool.own) return tool.own.logout(host, ctx);
  const result = await run(tool.path, logoutArgs(host), { env: ctx.env, timeoutMs: ctx.timeoutMs, groups: ctx.groups });
  if (result.code === 0 || notLoggedIn(`${result.stderr}\n${result.stdout}`)) return undefined;
  return commandFailure(`${tool.name} logout`, result, ctx.timeoutMs);
}

/** Why a command that is not a login did not do its part, as a clause: "docker logout failed: …". */
export function commandFailure(name: string, result: RunResult, timeoutMs: number): string {
  if (result.startError) return `${name} could not start (${result.startError})`;
  if (result.timedOut) return `${name} did not finish within ${msToSeconds(timeoutMs)} s and was stopped`;
  return `${name} failed: ${errorLine(result.stderr, result.stdout)}`;
}
