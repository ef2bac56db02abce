// WWW-Authenticate read as RFC 7235 has it: challenges of a scheme and auth-params, each value a token
// or a quoted-string, optional whitespace around `=` and `,`, names in any case, in any order. ICR's
// registries also send a URL bare (`Bearer realm=https://cp.icr.io/oauth/token, service=registry`:
// docs/icr.md#ibms-entitled-registry), which is no token: a bare value runs to the next comma or space.
// Pure.

export interface Challenge {
  /** The auth-scheme, lower case (`bearer`). */
  readonly scheme: string;
  /** Auth-params by lower-case name; the first of a name that is repeated. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*/y;
const SPACE = /[ \t]*/y;
const BARE = /[^\s,"]*/y;

/** A cursor over one header value. */
class Scanner {
  private pos = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  mark(): number {
    return this.pos;
  }
  reset(to: number): void {
    this.pos = to;
  }
  skip(): void {
    this.pos++;
  }
  match(pattern: RegExp): string {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (!m) return '';
    this.pos = pattern.lastIndex;
    return m[0];
  }
  space(): void {
    this.match(SPACE);
  }
  /** A quoted-string, its quoted-pairs unescaped; an unterminated one runs to the end. */
  quoted(): string {
    this.skip();
    let value = '';
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\') this.skip();
      value += this.peek();
      this.skip();
    }
    this.skip();
    return value;
  }
  /** Past whatever is left of a malformed element, to the comma that ends it. */
  toComma(): void {
    while (!this.done && this.peek() !== ',') {
      if (this.peek() === '"') this.quoted();
      else this.skip();
    }
  }
}

/** One `name = value` at the cursor, or undefined (cursor unmoved) when what follows is no auth-param. */
function authParam(s: Scanner): [string, string] | undefined {
  const start = s.mark();
  const name = s.match(TOKEN);
  s.space();
  if (name === '' || s.peek() !== '=') {
    s.reset(start);
    return undefined;
  }
  s.skip();
  s.space();
  const value = s.peek() === '"' ? s.quoted() : s.match(BARE);
  return [name.toLowerCase(), value];
}

/** Every challenge of a WWW-Authenticate value, in order. Never throws: what cannot be read is skipped. */
export function parseChallenges(header: string): Challenge[] {
  const s = new Scanner(header);
  const found: Challenge[] = [];
  let current: { scheme: string; params: Record<string, string> } | undefined;
  while (!s.done) {
    s.space();
    if (s.peek() === ',') {
      s.skip();
      continue;
    }
    // After a comma: another auth-param of the current challenge, or the scheme of the next one.
    const param = current ? authParam(s) : undefined;
    if (param && current) {
      current.params[param[0]] ??= param[1];
    } else {
      const scheme = s.match(TOKEN);
      if (scheme === '') {
        s.skip();
        s.toComma();
        continue;
      }
      current = { scheme: scheme.toLowerCase(), params: {} };
      found.push(current);
      s.space();
      const first = authParam(s);
      if (first) current.params[first[0]] = first[1];
      // token68 (`Basic dXNlcg==`): no params of ours to read.
      else if (s.match(TOKEN68) === '') s.toComma();
    }
    s.space();
    if (!s.done && s.peek() !== ',') s.toComma();
  }
  return found;
}

/** The Bearer challenge's params, when the header holds one that names its realm. */
export function bearerChallenge(header: string | undefined): Readonly<Record<string, string>> | undefined {
  if (!header) return undefined;
  return parseChallenges(header).find((c) => c.scheme === 'bearer' && c.params['realm'])?.params;
}
