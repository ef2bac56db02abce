// Home as the clients find it: USERPROFILE on Windows, HOME elsewhere, the OS's answer when unset.
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { homeFolder, stateFolder } from '../../../src/lib/home.ts';

describe('homeFolder', () => {
  const env = { HOME: '/home/u', USERPROFILE: 'C:\\Users\\u' };
  it('reads the variable the platform’s clients read', () => {
    expect(homeFolder(env, 'linux')).toBe('/home/u');
    expect(homeFolder(env, 'darwin')).toBe('/home/u');
    expect(homeFolder(env, 'win32')).toBe('C:\\Users\\u');
  });
  it('falls back to the OS when that variable is empty', () => {
    expect(homeFolder({ HOME: '', USERPROFILE: 'C:\\Users\\u' }, 'linux')).toBe(homedir());
    expect(homeFolder({ HOME: '/home/u' }, 'win32')).toBe(homedir());
  });
});

describe('stateFolder', () => {
  it('is under XDG_STATE_HOME when set, else under home’s .local/state', () => {
    expect(stateFolder({ XDG_STATE_HOME: '/state', HOME: '/home/u' })).toBe(join('/state', 'icr-login'));
    expect(stateFolder({ HOME: '/home/u' })).toBe(join(homeFolder({ HOME: '/home/u' }), '.local', 'state', 'icr-login'));
  });
});
