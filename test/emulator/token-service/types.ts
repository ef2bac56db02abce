// Public types of how ICR's token service answers (re-exported by index.ts).

/**
 * How one ICR region answers where ICR is known to answer in more than one way (issue 17). The
 * defaults are the strict forms; `ICR_EMULATOR_STRICT=0` turns the lenient ones on (behaviour.ts).
 */
export interface IcrBehaviour {
  /** `unquoted`: `Bearer realm=https://…, service=registry` to callers that are none of the four clients */
  challenge: 'quoted' | 'unquoted';
  /** the token service's status for credentials it refuses: 401 `unauthorized: …` or a bare 400 Bad Request */
  badCredentials: 401 | 400;
}
