// A fixed number of slots for client processes, handed out by priority. Running more client processes
// than there are cores only slows each of them; with slots, the logins on the critical path (writers)
// go first and confirmations fill the cores that are left.
export class Slots {
  private free: number;
  private readonly waiting: { priority: number; seq: number; start: () => void }[] = [];
  private seq = 0;

  constructor(count: number) {
    this.free = Math.max(1, Math.floor(count));
  }

  /** Runs `task` in a slot; a lower `priority` number runs first, equal ones in arrival order. */
  async run<R>(priority: number, task: () => Promise<R>): Promise<R> {
    if (this.free > 0) this.free--;
    else {
      await new Promise<void>((start) => {
        this.waiting.push({ priority, seq: this.seq++, start });
        this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      });
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next.start();
      else this.free++;
    }
  }
}
