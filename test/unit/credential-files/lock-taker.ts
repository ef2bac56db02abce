// A taker of a credentials file's lock in a process of its own, started by lock.test.ts over IPC.
// `take`: one turn per message, answered with whether it was alone inside. `loop`: turns until killed,
// reporting each (the test kills it at random moments, in the middle of anything).
import { withFileLock } from '../../../src/credential-files/lock/lock.ts';
import { aloneInside } from './lock-invariant.ts';

interface Turn {
  readonly round: number;
  readonly file: string;
  readonly markers: string;
  readonly waitMs: number;
  readonly holdMs: number;
  readonly loop?: boolean;
}

const send = (m: object): void => void process.send?.(m);

async function turn(t: Turn): Promise<boolean> {
  return withFileLock(t.file, t.waitMs, () => aloneInside(t.markers, t.holdMs));
}

process.on('message', (t: Turn) => {
  if (!t.loop) {
    turn(t).then(
      (alone) => send({ round: t.round, alone }),
      (error: unknown) => send({ round: t.round, error: String(error) }),
    );
    return;
  }
  const again = (): void =>
    void turn(t).then(
      (alone) => {
        send({ round: t.round, alone });
        setImmediate(again);
      },
      (error: unknown) => send({ round: t.round, error: String(error) }),
    );
  send({ ready: true });
  again();
});
