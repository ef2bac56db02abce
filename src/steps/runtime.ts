// What the login logic needs from its host: the GitHub runner (toolkit.ts) or a terminal (cli-runtime.ts).
export interface Runtime {
  readonly env: NodeJS.ProcessEnv;
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
