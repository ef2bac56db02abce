// A terminal as a Runtime: secrets redacted from every line (scrubbing); state kept in the run's session file.
import { errnoCode } from '../lib/errors.ts';
import type { HostWords, Runtime } from '../steps/runtime.ts';
import { scrubbing } from '../steps/scrub.ts';
import { inCliWords } from './flag-words.ts';
import { loginProcess, rewriteSession, type Session } from './sessions.ts';

/** The terminal's words: no post step here, `icr-login logout` undoes a login. */
export const TERMINAL_WORDS: HostWords = {
  run: 'this login',
  before: 'this login',
  undo: '`icr-login logout`',
  undoer: '`icr-login logout`',
  skipped: '',
};

export interface CliRuntime extends Runtime {
  /** What this run saved as state. */
  readonly saved: Session;
}

/**
 * @param state what getState answers (a session read back for logout)
 * @param sessionPath where saveState persists, each time it is called (login only)
 */
export function cliRuntime(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv,
  quiet: boolean,
  state: Session = {},
  sessionPath?: string,
): CliRuntime {
  const err = (line: string): void => void process.stderr.write(`${inCliWords(line)}\n`);
  // A login's session says first which process writes it, so a logout leaves it alone while it runs.
  const saved: Session = sessionPath ? loginProcess() : {};
  let unrecorded = false;
  return scrubbing({
    env,
    saved,
    words: TERMINAL_WORDS,
    missingKeyMessage:
      "No API key: set IBMCLOUD_API_KEY (or ICR_API_KEY), or pipe the key in with --api-key-stdin (for IBM's entitled registry alone, IBM_ENTITLEMENT_KEY).",
    getInput: (name) => inputs[name] ?? '',
    // scrubbing() below keeps the secrets out of every line; a terminal has nothing more to do.
    mask: () => {},
    info: (message) => (quiet ? undefined : err(message)),
    warning: (message) => err(`warning: ${message}`),
    debug: (message) => (env['ICR_LOGIN_DEBUG'] ? err(`debug: ${message}`) : undefined),
    fail: (message) => err(`icr-login: ${message}`),
    setOutput: (name, value) => void process.stdout.write(`${name}=${value}\n`),
    saveState: (name, value) => {
      saved[name] = value;
      if (!sessionPath) return;
      try {
        rewriteSession(sessionPath, saved);
      } catch (error) {
        // The login goes on; only `icr-login logout` will not know of it.
        if (!unrecorded)
          err(
            `warning: could not record this login in ${sessionPath} (${errnoCode(error, 'write failed')}); icr-login logout cannot undo it.`,
          );
        unrecorded = true;
      }
    },
    getState: (name) => state[name] ?? '',
    exportVariable: (name, value) => (quiet ? undefined : err(`export ${name}=${value}`)),
    writeSummary: async () => {},
  });
}
