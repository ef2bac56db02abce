// Every text the action writes itself passes here first: whatever was masked is replaced by ***.
// The runner's masking covers its log, not always the job summary or annotation titles, and a
// terminal has no masking at all; a client that echoes its password must not put it in our words.
import type { Runtime } from './runtime.ts';

/** A Runtime whose every written text (messages, titles, outputs, exported values, summary) is scrubbed of masked secrets. */
export function scrubbing<T extends Runtime>(rt: T): T {
  // Longest first, so a secret that contains another is replaced whole.
  const secrets: string[] = [];
  const scrub = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const title = (t: string | undefined): string | undefined => (t === undefined ? undefined : scrub(t));
  return {
    ...rt,
    mask: (secret) => {
      if (secret && !secrets.includes(secret)) {
        secrets.push(secret);
        secrets.sort((a, b) => b.length - a.length);
      }
      rt.mask(secret);
    },
    info: (message) => rt.info(scrub(message)),
    warning: (message, t) => rt.warning(scrub(message), title(t)),
    debug: (message) => rt.debug(scrub(message)),
    fail: (message, t) => rt.fail(scrub(message), title(t)),
    setOutput: (name, value) => rt.setOutput(name, scrub(value)),
    exportVariable: (name, value) => rt.exportVariable(name, scrub(value)),
    writeSummary: (markdown) => rt.writeSummary(scrub(markdown)),
  };
}
