// The steps word their messages for the action ("input timeout", "set isolate: true"); a terminal user
// types flags and variables instead, so the CLI says each input the way it is given here. Pure.
import { OPTIONS } from './args.ts';

/** The keys never come from argv (args.ts refuses them) but from a variable or stdin: named by what they are. */
const KEYS: Readonly<Record<string, { readonly noun: string; readonly variable: string }>> = {
  'api-key': { noun: 'API key', variable: 'IBMCLOUD_API_KEY' },
  'entitlement-key': { noun: 'entitlement key', variable: 'IBM_ENTITLEMENT_KEY' },
};

const options: Readonly<Record<string, { readonly type: string }>> = OPTIONS;

/** How the CLI gives input `name` ("The" first when `capital`), or undefined when nothing of the CLI sets it. */
function given(name: string, capital = false): string | undefined {
  const key = KEYS[name];
  if (key) return `${capital ? 'The' : 'the'} ${key.noun}`;
  return name in options && !name.endsWith('-stdin') ? `--${name}` : undefined;
}

/** `line` with the action's input names replaced by the CLI's flags and variables. */
export function inCliWords(line: string): string {
  return line
    .replace(/\bset (?:input )?([a-z][a-z-]*): ([^\s,.;)]+)/g, (all, name: string, value: string) => {
      const flag = given(name);
      if (!flag || KEYS[name]) return all;
      return options[name]?.type === 'boolean' && value === 'true' ? `pass ${flag}` : `pass ${flag} ${value}`;
    })
    .replace(/\b([Ii])nputs? ([a-z][a-z-]*)(?: and ([a-z][a-z-]*))?/g, (all, i: string, first: string, second?: string) => {
      const a = given(first, i === 'I');
      const b = second === undefined ? '' : given(second);
      if (!a || b === undefined) return all;
      return second === undefined ? a : `${a} and ${b}`;
    })
    .replace(/\bthe (api-key|entitlement-key) secret\b/g, (_all, name: string) => given(name)!)
    .replace(/\bset (api-key|entitlement-key)\b/g, (_all, name: string) => `set ${KEYS[name]!.variable}`);
}
