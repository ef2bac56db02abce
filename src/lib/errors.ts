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

/** One line for any thrown value: a UserError's own sentence, anything else described plainly. */
export function describe(error: unknown): string {
  if (error instanceof UserError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n').find((l) => l.trim()) ?? 'no details';
  return `Unexpected error: ${line.trim()}. Re-run with debug logging (RUNNER_DEBUG=1 on GitHub, ICR_LOGIN_DEBUG=1 for the CLI) and report it if it persists.`;
}
