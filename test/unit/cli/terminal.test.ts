// The terminal host: every line it prints has every masked secret replaced, longest first.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliRuntime } from '../../../src/cli/terminal.ts';

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cliRuntime', () => {
  it('redacts masked secrets from every kind of line, outputs included', () => {
    const { out, err } = capture();
    const rt = cliRuntime({}, { ICR_LOGIN_DEBUG: '1' }, false);
    rt.mask('s3cr3t-token');
    rt.info('info s3cr3t-token');
    rt.warning('warn s3cr3t-token');
    rt.debug('debug s3cr3t-token');
    rt.fail('fail s3cr3t-token');
    rt.setOutput('x', 'out s3cr3t-token');
    expect(err).toEqual(['info ***\n', 'warning: warn ***\n', 'debug: debug ***\n', 'icr-login: fail ***\n']);
    expect(out).toEqual(['x=out ***\n']);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const { err } = capture();
    const rt = cliRuntime({}, {}, false);
    rt.mask('abcd');
    rt.mask('abcdefgh');
    rt.info('key abcdefgh and abcd');
    expect(err).toEqual(['key *** and ***\n']);
  });

  it('ignores an empty mask, and prints only errors and warnings when quiet', () => {
    const { err } = capture();
    const rt = cliRuntime({}, {}, true);
    rt.mask('');
    rt.info('hidden');
    rt.exportVariable('DOCKER_CONFIG', '/x');
    rt.warning('shown');
    expect(err).toEqual(['warning: shown\n']);
  });

  it('answers inputs from its map and state from the session it was given', () => {
    capture();
    const rt = cliRuntime({ region: 'eu-de' }, {}, false, { logins: '[]' });
    expect(rt.getInput('region')).toBe('eu-de');
    expect(rt.getInput('clients')).toBe('');
    expect(rt.getState('logins')).toBe('[]');
    rt.saveState('logout', 'true');
    expect(rt.saved).toEqual({ logout: 'true' });
  });
});
