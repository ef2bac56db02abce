// FIFO fault injection: each matching request consumes one fault and gets it instead of
// (or, for a bare delay, before) the normal answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault, FaultTarget } from './types.ts';
import { sleep } from './http-util.ts';

export class FaultQueue {
  private readonly queues = new Map<FaultTarget, Fault[]>();

  push(target: FaultTarget, faults: Fault[]): void {
    const queue = this.queues.get(target) ?? [];
    queue.push(...faults);
    this.queues.set(target, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  take(target: FaultTarget): Fault | undefined {
    return this.queues.get(target)?.shift();
  }
}

/**
 * Applies a fault. Resolves true when the request was fully handled (answered or reset),
 * false when the normal handler should still answer (delay-only fault).
 */
export async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.reset) {
    req.socket.destroy();
    return true;
  }
  if (fault.status === undefined) return false;
  // Drain what the client sent so keep-alive connections stay usable.
  req.resume();
  const body = fault.body ?? '';
  res.writeHead(fault.status, { 'Content-Length': String(Buffer.byteLength(body)), ...fault.headers });
  res.end(body);
  return true;
}
