// What the login logic needs from its host: the GitHub runner (toolkit.ts) or a terminal (cli-runtime.ts).
/** The host's words for the same facts: a GitHub step and its post step, or a terminal command. */
export interface HostWords {
  /** This run of the login: "this step". */
  readonly run: string;
  /** What earlier credentials were had before: "this job". */
  readonly before: string;
  /** What logs out later: "the post step", "`icr-login logout`". */
  readonly undo: string;
  /** The same as a sentence's subject: "post". */
  readonly undoer: string;
  /** Why an empty key is expected, appended to the skip warning (or ''). */
  readonly skipped: string;
}

export interface Runtime {
  readonly env: NodeJS.ProcessEnv;
  readonly words: HostWords;
  /** How to tell this host's user that no API key arrived, when that is an error. */
  readonly missingKeyMessage: string;
  getInput(name: string): string;
  /** Hides a secret from every later line of output. Call before the secret can be printed. */
  mask(secret: string): void;
  info(message: string): void;
  warning(message: string, title?: string): void;
  debug(message: string): void;
  /** Reports the step's failure: one line, and a failing exit code. */
  fail(message: string, title?: string): void;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  exportVariable(name: string, value: string): void;
  writeSummary(markdown: string): Promise<void>;
}
