// A Runtime that records everything a step tells its host, for unit tests of the steps without GitHub
// or a terminal: inputs come from a map, state lives in memory, every call is kept for assertions.
import { GITHUB_WORDS } from '../../src/github/words.ts';
import type { Runtime } from '../../src/steps/runtime.ts';

export interface FakeRuntime extends Runtime {
  readonly infos: string[];
  readonly warnings: { message: string; title: string | undefined }[];
  readonly failures: { message: string; title: string | undefined }[];
  readonly debugs: string[];
  readonly masked: string[];
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly exports: Record<string, string>;
  readonly summaries: string[];
}

export interface FakeRuntimeOptions {
  readonly inputs?: Record<string, string>;
  readonly env?: NodeJS.ProcessEnv;
  /** What getState answers: the state a main step saved, for a post step. */
  readonly state?: Record<string, string>;
  readonly missingKeyMessage?: string;
}

export function fakeRuntime(options: FakeRuntimeOptions = {}): FakeRuntime {
  const inputs = options.inputs ?? {};
  const rt: FakeRuntime = {
    env: options.env ?? {},
    words: GITHUB_WORDS,
    missingKeyMessage: options.missingKeyMessage ?? 'No API key (the fake host says so).',
    infos: [],
    warnings: [],
    failures: [],
    debugs: [],
    masked: [],
    outputs: {},
    state: { ...options.state },
    exports: {},
    summaries: [],
    getInput: (name) => inputs[name] ?? '',
    mask: (secret) => void rt.masked.push(secret),
    info: (message) => void rt.infos.push(message),
    warning: (message, title) => void rt.warnings.push({ message, title }),
    debug: (message) => void rt.debugs.push(message),
    fail: (message, title) => void rt.failures.push({ message, title }),
    setOutput: (name, value) => void (rt.outputs[name] = value),
    saveState: (name, value) => void (rt.state[name] = value),
    getState: (name) => rt.state[name] ?? '',
    exportVariable: (name, value) => void (rt.exports[name] = value),
    writeSummary: async (markdown) => void rt.summaries.push(markdown),
  };
  return rt;
}
