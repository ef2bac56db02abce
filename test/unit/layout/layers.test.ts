// The layers of src/ (eslint.config.js): an import that runs back up is refused from any depth of folder.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../harness/runner.ts';

const eslint = new ESLint({ cwd: ROOT });
const refused = async (file: string, from: string): Promise<boolean> => {
  const [result] = await eslint.lintText(`import '${from}';\n`, { filePath: `${ROOT}/${file}` });
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
};

describe('import layers', () => {
  it.each([
    ['src/clients/plan.ts', '../steps/login/step.ts', true],
    ['src/steps/login/plan.ts', '../../cli/terminal.ts', true],
    ['src/steps/logout/trust.ts', '../../main.ts', true],
    ['src/credential-files/lock.ts', '../access/check.ts', true],
    ['src/lib/retry.ts', '../inputs/settings.ts', true],
    ['src/steps/login/plan.ts', '../../clients/plan.ts', false],
    ['src/steps/login/step.ts', '../state/writer.ts', false],
    ['src/access/check.ts', '../clients/plan.ts', false],
  ])('%s importing %s: refused %s', async (file, from, expected) => {
    expect(await refused(file, from)).toBe(expected);
  });
});
