// How the steps speak on GitHub: a main step and a post step, in a job that may run for a fork.
import type { HostWords } from '../steps/runtime.ts';

export const GITHUB_WORDS: HostWords = {
  run: 'this step',
  before: 'this job',
  undo: 'the post step',
  undoer: 'post',
  skipped: ' (expected in pull requests from forks)',
};

// What an empty api-key means on GitHub, and what to do: the usual ways a secret fails to reach a
// step (GitHub passes none to runs for forks, nor into a reusable workflow unless the caller passes
// them, nor an environment's to a job that names no environment; a misspelt name is empty too).
// GitHub's own rules, so they live with the GitHub host.
export const MISSING_KEY_MESSAGE =
  'Input api-key is empty: the secret did not reach this step. The usual causes: a pull request from a fork (GitHub passes it no secrets: guard the step with ' +
  "`if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`, " +
  'or set missing-key: skip to build without logging in), a reusable workflow called without `secrets:` (or `secrets: inherit`), ' +
  'an environment secret in a job without `environment:`, or a misspelt secret name.';
