// Every default bound and retry policy, in one place. Pure.

/** How often to try again, and how long to wait between tries (lib/retry.ts). */
export interface RetryPolicy {
  /** Retries after the first try. */
  readonly retries: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/** Seconds a client command may take, and the bound on each network phase, when input timeout is empty. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** The longest one HTTP request may take; a phase with less time left gets what is left. */
export const REQUEST_MS = 30_000;

/**
 * The longest one request to a VPC metadata service may take: it runs on the machine's own link and
 * answers in milliseconds, so a try that hears nothing for this long is tried again, not waited out.
 */
export const METADATA_REQUEST_MS = 5_000;

/** IAM's token endpoint under load: IBM's SDK policy (docs/icr.md#iams-token-api), 4 retries from 1 s to 30 s. */
export const IAM_RETRY: RetryPolicy = { retries: 4, baseMs: 1000, capMs: 30_000 };

/** A client login and a registry probe: two quick retries, a passing network fault is all they ride out. */
export const CLIENT_RETRY: RetryPolicy = { retries: 2, baseMs: 1000, capMs: 4000 };

/** A retry needs at least this much time left after its wait to be worth starting. */
export const MIN_TRY_MS = 1000;

/** How long a client's output may still arrive after it exited: a child it left holding the pipes is not waited for. */
export const OUTPUT_GRACE_MS = 250;

/** How long post waits for the process groups it killed to be gone. */
export const GROUP_EXIT_MS = 3000;

/**
 * The shortest secret an answer may hand us (an IAM or registry token). Every real one is far longer:
 * IAM's tokens and registry tokens are JWTs of hundreds of characters, API keys 44 (docs/icr.md). A
 * shorter "secret" is no credential, and masking it would star every text that contains it (a 3-character
 * token stars every `127.0.0.1` in the log and the outputs), so such an answer is refused, never masked.
 * 16 leaves room for any opaque token a registry could mean seriously, and none for a placeholder.
 */
export const MIN_SECRET_LENGTH = 16;
