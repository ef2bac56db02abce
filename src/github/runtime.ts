// The GitHub runner as a Runtime, through @actions/core; every text scrubbed of masked secrets.
import * as core from '@actions/core';
import { firstLine } from '../lib/errors.ts';
import type { Runtime } from '../steps/runtime.ts';
import { scrubbing } from '../steps/scrub.ts';
import { GITHUB_WORDS, MISSING_KEY_MESSAGE } from './words.ts';

export function toolkitRuntime(): Runtime {
  return scrubbing({
    env: process.env,
    words: GITHUB_WORDS,
    missingKeyMessage: MISSING_KEY_MESSAGE,
    getInput: (name) => core.getInput(name),
    mask: (secret) => core.setSecret(secret),
    info: (message) => core.info(message),
    warning: (message, title) => core.warning(message, title ? { title } : {}),
    debug: (message) => core.debug(message),
    fail: (message, title) => {
      core.error(message, title ? { title } : {});
      process.exitCode = 1;
    },
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    exportVariable: (name, value) => core.exportVariable(name, value),
    writeSummary: async (markdown) => {
      if (!process.env['GITHUB_STEP_SUMMARY']) return;
      try {
        await core.summary.addRaw(markdown, true).write();
      } catch (error) {
        // A summary that cannot be written is no reason to fail a login that worked.
        core.warning(`Could not write the job summary (${firstLine(error instanceof Error ? error.message : String(error))}).`, {
          title: 'job summary',
        });
      }
    },
  });
}
