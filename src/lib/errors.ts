// One kind of error the user can act on: its message is the whole story, so no stack is shown.
// One line per mistake (CONTRIBUTING.md): a UserError holds one line for each mistake it reports,
// and a host prints each as a line (and annotation) of its own; no line holds a newline.
export class UserError extends Error {
  /** What to title the annotation with, e.g. "IAM", "docker login". */
  readonly title: string | undefined;
  /** One sentence per mistake, in order; `message` is the first. */
  readonly lines: readonly string[];
  constructor(message: string | readonly string[], title?: string) {
    const lines = typeof message === 'string' ? [message] : [...message];
    super(lines[0] ?? '');
    this.name = 'UserError';
    this.title = title;
    this.lines = lines;
  }
}

/** Every line a thrown value reports: a UserError's own, or the one-line description of anything else. */
export function describeAll(error: unknown): readonly string[] {
  return error instanceof UserError && error.lines.length > 0 ? error.lines : [describe(error)];
}

/** The first line of a message that says something, trimmed; '' when none does. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}

/** A Node error's code (ENOENT, EACCES, …), or `fallback` for an error without one. */
export function errnoCode(error: unknown, fallback: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : fallback;
}

/** One line for any thrown value: a UserError's own sentences, anything else described plainly. */
export function describe(error: unknown): string {
  if (error instanceof UserError) return error.lines.join(' ');
  const text = error instanceof Error ? error.message : String(error);
  const line = firstLine(text) || 'no details';
  return `Unexpected error: ${line}. Re-run with debug logging (RUNNER_DEBUG=1 on GitHub, ICR_LOGIN_DEBUG=1 for the CLI) and report it if it persists.`;
}
