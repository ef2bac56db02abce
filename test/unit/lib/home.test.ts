// Home as the clients find it: USERPROFILE on Windows, HOME elsewhere, the OS's answer when unset.
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { homeFolder } from '../../../src/lib/home.ts';

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
