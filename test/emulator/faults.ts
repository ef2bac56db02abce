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

  take(target: FaultTarget, url = ''): Fault | undefined {
    const queue = this.queues.get(target) ?? [];
    const i = queue.findIndex((f) => f.urlIncludes === undefined || url.includes(f.urlIncludes));
    return i < 0 ? undefined : queue.splice(i, 1)[0];
  }
}

/** Writes `bytes` of spaces (valid JSON whitespace) as fast as the client reads, until done or cut off. */
export async function streamBody(res: ServerResponse, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, ' ');
  for (let left = bytes; left > 0 && !res.destroyed; left -= chunk.length) {
    if (res.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) continue;
    await new Promise<void>((resolve) => {
      const go = (): void => {
        res.off('drain', go).off('close', go);
        resolve();
      };
      res.on('drain', go).on('close', go);
    });
  }
  res.end();
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
  if (fault.bodyBytes !== undefined) {
    req.resume();
    res.writeHead(fault.status ?? 200, { 'Content-Type': 'application/json', ...fault.headers });
    await streamBody(res, fault.bodyBytes);
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
