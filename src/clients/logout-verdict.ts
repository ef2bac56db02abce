// What post says of one login: judged from what its entry held before post and holds after every way
// of removing it was tried, never from an exit code. Pure.
import { removeByHand } from './commands.ts';
import { mayBeOurs, placeName, type Held } from './held.ts';
import { done, leftInPlace, loggedOut, notRemoved, type Outcome, type Recorded, type Target } from './plan.ts';

/** One entry's removal, as the logouts saw it. */
export interface Removal {
  /** The logins of one entry that read it alike, most trusted first. */
  readonly logins: readonly Recorded[];
  readonly before: Held;
  after: Held;
  /** What removed it, once something did. */
  by?: string;
  /** What each way that left it there did. */
  readonly tries: string[];
}

/** One login's outcome, from what the entry held before post and holds now. */
export function judge(t: Recorded, r: Removal): Outcome {
  // A login main saw fail never happened, unless every login of the entry failed and ours is there anyway.
  const anySucceeded = r.logins.some((o) => o.ended !== 'failed');
  if (t.ended === 'failed' && (anySucceeded || !mayBeOurs(r.before))) return done(t, 'never-logged-in');
  if (mayBeOurs(r.after)) return notRemoved(t, stays(t, r), removeByHand(t.client, t.host, r.after.place));
  if (mayBeOurs(r.before)) return loggedOut(t, r.by === t.client ? undefined : r.by);
  if (r.before.is === 'other') return leftInPlace(t, r.before.whose);
  // Nothing of ours there when post looked: removed already (post ran before), or never made.
  return t.ended === 'logged-in' ? loggedOut(t) : done(t, 'never-logged-in');
}

function stays(t: Target, r: Removal): string {
  const tried = r.tries.length > 0 ? ` (${r.tries.join('; ')})` : '';
  const where = placeName(r.after.place);
  if (r.after.is === 'unreadable') return `what ${where} holds for ${t.host} could not be read (${r.after.why})${tried}`;
  return `${where} still holds the login icr-login stored for ${t.host}${tried}`;
}
