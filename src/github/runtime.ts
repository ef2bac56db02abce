// The GitHub runner as a Runtime, through @actions/core; every text scrubbed of masked secrets.
import { debug, error, exportVariable, getInput, getState, info, saveState, setOutput, setSecret, summary, warning } from '@actions/core';
import { firstLine } from '../lib/errors.ts';
import type { Runtime } from '../steps/runtime.ts';
import { scrubbing } from '../steps/scrub.ts';
import { GITHUB_WORDS, MISSING_KEY_MESSAGE } from './words.ts';

export function toolkitRuntime(): Runtime {
  return scrubbing({
    env: process.env,
    words: GITHUB_WORDS,
    missingKeyMessage: MISSING_KEY_MESSAGE,
    getInput: (name) => getInput(name),
    mask: (secret) => setSecret(secret),
    info: (message) => info(message),
    warning: (message, title) => warning(message, title ? { title } : {}),
    debug: (message) => debug(message),
    fail: (message, title) => {
      error(message, title ? { title } : {});
      process.exitCode = 1;
    },
    setOutput: (name, value) => setOutput(name, value),
    saveState: (name, value) => saveState(name, value),
    getState: (name) => getState(name),
    exportVariable: (name, value) => exportVariable(name, value),
    writeSummary: async (markdown) => {
      if (!process.env['GITHUB_STEP_SUMMARY']) return;
      try {
        await summary.addRaw(markdown, true).write();
      } catch (error) {
        // A summary that cannot be written is no reason to fail a login that worked.
        warning(`Could not write the job summary (${firstLine(error instanceof Error ? error.message : String(error))}).`, {
          title: 'job summary',
        });
      }
    },
  });
}
