// Where a text stops being JSON, to point at it without quoting it: the bytes of a credentials file
// may be secrets, and V8's own messages quote the text around the fault. Pure.

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** The offset of the first character that makes `text` invalid JSON (text.length when it ends early), or -1. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const take = (c: string): void => void (text[i] === c ? i++ : fail());
  const sticky = (re: RegExp): boolean => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i += m[0].length;
    return !!m;
  };
  const string = (): void => {
    take('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      i++;
      if (c === '"') return;
      if (c !== '\\') continue;
      if (text[i] === 'u') {
        i++;
        if (!sticky(HEX4)) fail();
      } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
      else fail();
    }
  };
  const sequence = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (text[i] !== ',') return take(close);
      i++;
      ws();
    }
  };
  const value = (): void => {
    ws();
    if (text[i] === '{') {
      return sequence('}', () => {
        string();
        ws();
        take(':');
        value();
      });
    }
    if (text[i] === '[') return sequence(']', value);
    if (text[i] === '"') return string();
    if (!sticky(LITERAL) && !sticky(NUMBER)) fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}

/** "line 3, column 7" (both from 1) for an offset, or "the end" when the text ends too early. */
export function describeOffset(text: string, offset: number): string {
  if (offset >= text.length) return 'its end (it stops too early)';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
