// The leak scan: no secret, in any form a client stores it, anywhere but an ::add-mask:: line.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepRun } from './runner.ts';

// ICR's usernames and the entitled registry's.
const USERNAMES = ['iamapikey', 'iambearer', 'iamrefresh', 'cp'];

/** Every form a secret can take in output or files: itself, and base64 of `user:secret`. */
export function secretForms(secrets: readonly string[], extraUsernames: readonly string[] = []): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < 8) continue;
    forms.add(s);
    for (const u of [...USERNAMES, ...extraUsernames]) forms.add(Buffer.from(`${u}:${s}`).toString('base64'));
  }
  return [...forms];
}

/** Lines of text that hold a secret, ignoring the mask commands that must carry them. */
export function leaksIn(text: string, forms: readonly string[]): string[] {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .filter((line) => forms.some((f) => line.includes(f)));
}

export function stepLeaks(step: StepRun, forms: readonly string[]): string[] {
  const found: string[] = [];
  const texts: Record<string, string> = { stdout: step.stdout, stderr: step.stderr, ...step.files };
  for (const [where, text] of Object.entries(texts)) {
    for (const line of leaksIn(text, forms)) found.push(`${where}: ${line.slice(0, 120)}`);
  }
  return found;
}

/** Every file below dir (ours: RUNNER_TEMP, the job dir) that holds a secret. */
export async function fileLeaks(dir: string, forms: readonly string[], skip: (path: string) => boolean = () => false): Promise<string[]> {
  const found: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    return found;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (skip(path)) continue;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const text = await readFile(path, 'utf8');
    if (leaksIn(text, forms).length > 0) found.push(path);
  }
  return found;
}
