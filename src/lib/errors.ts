// One kind of error the user can act on: its message is the whole story, so no stack is shown.
export class UserError extends Error {
  /** What to title the annotation with, e.g. "IAM", "docker login". */
  readonly title: string | undefined;
  constructor(message: string, title?: string) {
    super(message);
    this.name = 'UserError';
    this.title = title;
  }
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

/** One line for any thrown value: a UserError's own sentence, anything else described plainly. */
export function describe(error: unknown): string {
  if (error instanceof UserError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  const line = firstLine(text) || 'no details';
  return `Unexpected error: ${line}. Re-run with debug logging (RUNNER_DEBUG=1 on GitHub, ICR_LOGIN_DEBUG=1 for the CLI) and report it if it persists.`;
}
