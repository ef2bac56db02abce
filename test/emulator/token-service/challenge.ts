// The Bearer challenge (WWW-Authenticate) in the two forms ICR sends. Distribution's own form quotes
// every value (`Bearer realm="…",service="registry"`); ICR's registries have been seen sending them
// bare, a space after each comma (`Bearer realm=https://cp.icr.io/oauth/token, service=registry,
// scope=repository:cp/…:pull`, reported by ceph's cephadm, which had to fix its parser for it).
// podman, buildah, skopeo and docker read such a bare realm wrongly, so the bare form goes only to
// callers that are none of them (README, "How it answers").

export type ChallengeStyle = 'quoted' | 'unquoted';

/**
 * The User-Agents of the four clients, as they send them to a registry: podman 4.3
 * `containers/5.23.1 (github.com/containers/image)`, buildah 1.28 `Buildah/1.28.2`, skopeo 1.9
 * `skopeo/1.9.3`, the docker 28 CLI `Docker-Client/28.2.2 (linux)` and its daemon `docker/28.… …`
 * (recorded by emulator.test.ts). Newer podman may name itself.
 */
const CLIENT_AGENT = /^(?:containers|podman|buildah|skopeo|docker|docker-client)\//i;

export const isContainerClient = (userAgent: string | undefined): boolean => CLIENT_AGENT.test(userAgent ?? '');

/** The form this caller gets: bare only where the region sends it and the caller is not a client. */
export const styleFor = (regionStyle: ChallengeStyle, userAgent: string | undefined): ChallengeStyle =>
  regionStyle === 'unquoted' && !isContainerClient(userAgent) ? 'unquoted' : 'quoted';

/** `name=value` pairs of a challenge Distribution sent (always quoted, no escapes in practice). */
export function challengeParams(header: string): Array<[string, string]> {
  return [...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

/**
 * A Bearer challenge in one form. Bare values stay quoted where they could not be read back at all
 * (a comma, a space or a quote in them, as in `scope=repository:ns/img:pull,push`): how ICR writes
 * those is not known.
 */
export function formatChallenge(params: Array<[string, string]>, style: ChallengeStyle): string {
  if (style === 'quoted') return `Bearer ${params.map(([k, v]) => `${k}="${v}"`).join(',')}`;
  return `Bearer ${params.map(([k, v]) => (/[\s,"]/.test(v) ? `${k}="${v}"` : `${k}=${v}`)).join(', ')}`;
}
