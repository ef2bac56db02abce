// Which sessions `icr-login logout` may undo: one whose login finished or was killed, never one a
// login still under way is writing, and a pid that another process took over is not that login.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startTime } from '../../../src/clients/processes.ts';
import { liveLogin, loginProcess } from '../../../src/cli/sessions.ts';

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) process.kill(pid, 'SIGKILL');
});

function aLogin(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  children.push(child.pid!);
  return child.pid!;
}

describe('liveLogin', () => {
  it('names the login still writing a session, until it records that it stopped', () => {
    const pid = aLogin();
    const session = { 'login-pid': String(pid), 'login-started': startTime(pid)! };
    expect(liveLogin(session, false)).toBe(pid);
    expect(liveLogin(session, true)).toBeUndefined();
  });

  it('is done for a login that was killed, whose pid another process took, or that recorded no process', async () => {
    const pid = aLogin();
    const started = startTime(pid)!;
    expect(liveLogin({ 'login-pid': String(pid), 'login-started': String(Number(started) - 1) }, false)).toBeUndefined();
    process.kill(children.pop()!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect(liveLogin({ 'login-pid': String(pid), 'login-started': started }, false)).toBeUndefined();
    expect(liveLogin({}, false)).toBeUndefined();
    expect(liveLogin({ 'login-pid': 'junk' }, false)).toBeUndefined();
  });

  it('is never this process: a logout does not wait for itself', () => {
    expect(liveLogin(loginProcess(), false)).toBeUndefined();
  });

  it('records this process and its start time', () => {
    expect(loginProcess()).toEqual({ 'login-pid': String(process.pid), 'login-started': startTime(process.pid) });
  });
});
