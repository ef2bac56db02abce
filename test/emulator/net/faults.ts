// FIFO fault injection: each matching request consumes one fault and gets it instead of
// (or, for a bare delay, before) the normal answer. A fault with `match` waits for a request it fits.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault, FaultMatch, FaultTarget } from './types.ts';

/** What a fault's `match` is held against. */
export interface FaultRequest {
  method: string;
  path: string;
  region?: string;
  /** path and query, as the request line has them */
  url: string;
}

function fits(match: FaultMatch | undefined, req: FaultRequest): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== req.method) return false;
  if (match.region !== undefined && match.region !== req.region) return false;
  if (typeof match.path === 'string') return req.path.startsWith(match.path);
  return match.path === undefined || match.path.test(req.path);
}
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

  /** The first fault of the target that fits the request, removed from its queue. */
  take(target: FaultTarget, req: FaultRequest): Fault | undefined {
    const queue = this.queues.get(target) ?? [];
    const index = queue.findIndex((f) => fits(f.match, req) && (f.urlIncludes === undefined || req.url.includes(f.urlIncludes)));
    return index < 0 ? undefined : queue.splice(index, 1)[0];
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
