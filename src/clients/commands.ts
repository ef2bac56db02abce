// How each client logs in and out, and how to read what it answers (docs/icr.md#the-clients). Pure.
import { basename, dirname } from 'node:path';
import type { ClientName } from '../inputs/settings.ts';
import type { Place } from './held.ts';

/** Flags before the host: buildah 1.28 rejects them after it. The secret comes on stdin. */
export function loginArgs(username: string, host: string): string[] {
  return ['login', '--username', username, '--password-stdin', host];
}

/** Asks a client which username it holds for a host: reads the credentials file, no network. */
export function getLoginArgs(host: string): string[] {
  return ['login', '--get-login', host];
}

/**
 * The order in which clients that share a credentials file take turns: the quickest login first, so
 * the one that writes the shared login is cheap (skopeo is a small binary), then the others, which
 * only confirm it, slowest first (podman sets up its whole runtime for every command), so the last
 * confirmation on the cores ends soonest. docker-config runs no process at all.
 */
export const WRITE_ORDER: readonly ClientName[] = ['docker', 'docker-config', 'skopeo', 'podman', 'buildah'];

export function inWriteOrder(clients: readonly ClientName[]): ClientName[] {
  return [...clients].sort((a, b) => WRITE_ORDER.indexOf(a) - WRITE_ORDER.indexOf(b));
}

/** podman, buildah and skopeo read and write credentials the same way (containers/image). */
export function sharesContainersAuth(client: ClientName): boolean {
  return client === 'podman' || client === 'buildah' || client === 'skopeo';
}

export function logoutArgs(host: string): string[] {
  return ['logout', host];
}

/** How to remove a login by hand where post could not: the command, and for a file the edit that always works. */
export function removeByHand(client: ClientName, host: string, place: Place): string {
  if (place.kind === 'helper') return `run \`echo ${host} | ${basename(place.program)} erase\``;
  const command = sharesContainersAuth(client)
    ? `${client} logout --authfile ${place.path} ${host}`
    : `DOCKER_CONFIG=${dirname(place.path)} docker logout ${host}`;
  return `run \`${command}\` (or delete "${host}" from "auths" in ${place.path})`;
}

/** The client's own error line: the last line that says something, without client noise. */
export function errorLine(stderr: string, stdout: string): string {
  const lines = `${stderr}\n${stdout}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    // Not a warning, nor a log line below error (docker's `level=info msg="Error logging in to endpoint, trying next endpoint"`).
    .filter((l) => l && !/^(WARNING|WARN)\b/i.test(l) && !/\blevel=(debug|info|warn|warning)\b/.test(l) && !/^Login Succeeded/i.test(l));
  const line = lines.findLast((l) => /error|denied|unauthori[sz]ed|invalid|fail|refused|timeout|x509|certificate/i.test(l)) ?? lines.at(-1);
  return (line ?? 'no error message').replace(/^Error:\s*/i, '');
}

/**
 * The fix for a login the registry refused with 400 Bad Request, ICR's answer for a username and
 * password it does not accept (docs/icr.md#usernames): the containers tools print `invalid status code
 * from registry 400 (Bad Request)`, docker (reading the empty body) `Get "https://HOST/v2/": unknown: `.
 * '' for any other failure.
 */
export function badRequestFix(errorLine: string, secret: string): string {
  const refused = /invalid status code from registry 400\b/.test(errorLine) || /Get "[^"]+\/v2\/": unknown:\s*$/.test(errorLine);
  return refused ? ` (ICR answers 400 Bad Request for a username and password it does not accept: check the ${secret} secret)` : '';
}

/** podman/buildah/skopeo answer a logout of a host they hold nothing for with an error; that is already done. */
export function notLoggedIn(output: string): boolean {
  return /not logged in/i.test(output);
}
