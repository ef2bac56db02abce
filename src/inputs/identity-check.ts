// The inputs that go with identity, checked together: every mistake a line of its own, all of them
// before any request (issue 18). Pure.
import { UserError } from '../lib/errors.ts';
import { parseMetadataEndpoint, parseProfileRef, parseTokenFile, type Identity, type IdentityKind } from './identity.ts';
import { parseTrustedProfile } from './parse.ts';
import type { AuthType } from './settings.ts';

/** The raw values of the inputs that depend on identity. */
export interface IdentityInputs {
  readonly kind: IdentityKind;
  readonly apiKey: string;
  readonly authType: AuthType;
  readonly trustedProfile: string;
  readonly metadataEndpoint: string;
  readonly crTokenFile: string;
}

export interface CheckedIdentity {
  readonly identity: Identity;
  /** The profile an API key logs in as: an ID, with identity api-key only. */
  readonly trustedProfile: string | undefined;
}

/** Inputs that belong to one identity alone. */
const ONLY_WITH = [
  ['metadata-endpoint', 'metadataEndpoint', 'vpc'],
  ['cr-token-file', 'crTokenFile', 'container'],
] as const;

/** A collector of one-line mistakes. */
function mistakes(): {
  note: (line: string, input: string | undefined) => void;
  attempt: <T>(parse: () => T) => T | undefined;
  done: () => UserError | undefined;
} {
  const lines: string[] = [];
  const titles = new Set<string | undefined>();
  const note = (line: string, input: string | undefined): void => {
    lines.push(line);
    titles.add(input);
  };
  return {
    note,
    attempt: (parse) => {
      try {
        return parse();
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        note(error.message, error.title);
        return undefined;
      }
    },
    // One title for every line: the input's own, or identity where several inputs went wrong together.
    done: () => (lines.length > 0 ? new UserError(lines, titles.size === 1 ? [...titles][0] : 'identity') : undefined),
  };
}

export function checkIdentity(given: IdentityInputs): CheckedIdentity {
  const m = mistakes();
  for (const [input, field, only] of ONLY_WITH) {
    if (only !== given.kind && given[field].trim() !== '') {
      m.note(`Input ${input} works only with identity ${only}; remove it, or set identity ${only}.`, input);
    }
  }
  const checked = given.kind === 'api-key' ? withApiKey(given, m) : withCompute(given, m);
  const error = m.done();
  if (error || !checked) throw error ?? new UserError('The identity inputs could not be read.', 'identity');
  return checked;
}

/** Today's behaviour: trusted-profile is an ID, and only with auth-type apikey. */
function withApiKey(given: IdentityInputs, m: ReturnType<typeof mistakes>): CheckedIdentity {
  const trustedProfile = m.attempt(() => parseTrustedProfile(given.trustedProfile));
  if (trustedProfile && given.authType !== 'apikey') {
    m.note(
      `Input trusted-profile works only with auth-type apikey (ICR takes the service ID key for the profile), not with ${given.authType}.`,
      'trusted-profile',
    );
  }
  return { identity: { kind: 'api-key' }, trustedProfile };
}

function withCompute(given: IdentityInputs, m: ReturnType<typeof mistakes>): CheckedIdentity | undefined {
  const { kind } = given;
  const whose = kind === 'vpc' ? "the virtual server's" : "the pod's";
  if (given.apiKey.trim() !== '') {
    m.note(
      `An API key was given, but identity ${kind} logs in with none (${whose} trusted profile is the identity); drop the key, or use identity api-key.`,
      'api-key',
    );
  }
  if (given.authType === 'refresh') {
    m.note(
      `auth-type refresh does not work with identity ${kind}: its IAM token comes without a refresh token, so the clients get the token itself (what apikey and bearer both mean here); remove auth-type.`,
      'auth-type',
    );
  }
  const profile = m.attempt(() => parseProfileRef(given.trustedProfile, kind === 'container'));
  if (kind === 'vpc') {
    const metadataEndpoint = m.attempt(() => parseMetadataEndpoint(given.metadataEndpoint));
    return metadataEndpoint === undefined ? undefined : { identity: { kind, metadataEndpoint, profile }, trustedProfile: undefined };
  }
  const tokenFile = m.attempt(() => parseTokenFile(given.crTokenFile));
  if (given.trustedProfile.trim() === '') {
    m.note(
      "Identity container needs input trusted-profile: the ID, CRN or name of the trusted profile whose compute-resource rule trusts this pod's service account.",
      'trusted-profile',
    );
  }
  return profile ? { identity: { kind, tokenFile, profile }, trustedProfile: undefined } : undefined;
}
