// Lint for the TypeScript sources, tests and scripts; dist/ is generated.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Imports go one way: entries → hosts (github, cli) → steps → credential-files, access → clients → iam →
// http → inputs → lib. Each folder may import only the folders after it, so a later change cannot quietly
// tie a lower layer to a higher one.
const LAYERS = ['github|cli', 'steps', 'credential-files|access', 'clients', 'iam', 'http', 'inputs', 'lib'];
const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(0, i).flatMap((l) => l.split('|'));
  const siblings = layer.split('|');
  return siblings.map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../main.ts',
                '../post.ts',
                '../cli.ts',
                ...[...above, ...siblings.filter((f) => f !== folder)].map((f) => `../${f}/*`),
              ],
              message: `src/${folder}/ may import ${LAYERS.slice(i + 1).join(', ') || 'nothing else of ours'} (see README, Code layout).`,
            },
          ],
        },
      ],
    },
  }));
}).flat();

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        Buffer: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
    rules: {
      // Errors are thrown as UserError with a sentence; an unused catch binding is fine.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-control-regex': 'off',
    },
  },
  ...layerRules,
);
