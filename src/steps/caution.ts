// The caution block of a job summary: the step's errors, one line per mistake, and where to read more.
// Kept apart from the rest of the summary so a step that fails on its inputs loads nothing else. Pure.

/** Text fit for a table cell or a quoted line: no pipe that ends the cell, no line break. */
export const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const TROUBLESHOOTING =
  'Every message, its cause and its fix: [docs/troubleshooting.md](https://github.com/icr-login/icr-login/blob/v1/docs/troubleshooting.md).';

/** A caution block with one line per mistake, and where to read more. */
export const caution = (errors: readonly string[]): string[] => [
  '> [!CAUTION]',
  ...errors.map((e, i) => `> ${cell(e)}${i < errors.length - 1 ? '<br>' : ''}`),
  '',
  TROUBLESHOOTING,
  '',
];

/** The step failed before any client ran: the errors, which say what to do, are the whole summary. */
export function renderFailure(errors: readonly string[]): string {
  return ['### icr-login', '', ...caution(errors)].join('\n');
}
