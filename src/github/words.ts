// How the steps speak on GitHub: a main step and a post step, in a job that may run for a fork.
import type { HostWords } from '../steps/runtime.ts';

export const GITHUB_WORDS: HostWords = {
  run: 'this step',
  before: 'this job',
  undo: 'the post step',
  undoer: 'post',
  skipped: ' (expected in pull requests from forks)',
};

// What an empty api-key means on GitHub, and what to do: secrets are not passed to workflows that
// pull requests from forks trigger. GitHub's own advice, so it lives with the GitHub host.
export const MISSING_KEY_MESSAGE =
  'Input api-key is empty. GitHub does not pass secrets to workflows triggered from forks, so guard the step with ' +
  "`if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`, " +
  'or set missing-key: skip to build without logging in.';
