// What an empty api-key means on GitHub, and what to do: secrets are not passed to workflows that
// pull requests from forks trigger. GitHub's own advice, so it lives with the GitHub host.
export const MISSING_KEY_MESSAGE =
  'Input api-key is empty. GitHub does not pass secrets to workflows triggered from forks, so guard the step with ' +
  "`if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`, " +
  'or set missing-key: skip to build without logging in.';
