// Builds one minified ESM bundle per entry into dist/, deterministic so CI can diff it against the commit.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeLicenses } from './licenses.mjs';

// Each entry module exports run(); the bundle is a tiny virtual module that calls it, so the same
// files serve the runner, the CLI and `npx @github/local-action` (which calls run() itself).
const runners = ['main', 'post', 'cli'];
const entries = Object.fromEntries(runners.map((name) => [name, `entry:${name}`]));

const lean = {
  name: 'lean',
  setup(b) {
    b.onResolve({ filter: /^entry:/ }, (args) => ({ path: args.path.slice('entry:'.length), namespace: 'entry' }));
    b.onLoad({ filter: /.*/, namespace: 'entry' }, (args) => ({
      // The CLI keeps its shebang, so `npx icr-login` can execute it.
      contents: `${args.path === 'cli' ? '#!/usr/bin/env node\n' : ''}import { run } from './src/${args.path}.ts';\nawait run();\n`,
      resolveDir: resolve(import.meta.dirname, '..'),
      loader: 'ts',
    }));
    // Our code reads only the version from package.json: the rest (the devDependencies) stays out.
    b.onLoad({ filter: /[\\/]package\.json$/ }, async (args) => {
      const { version } = JSON.parse(await readFile(args.path, 'utf8'));
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
    // @actions/core loads node:crypto for one random UUID (a file command's delimiter): ours reads the
    // OS's random source instead, and a step's start is spared loading crypto (docs/performance.md).
    b.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      /[\\/]@actions[\\/]core[\\/]/.test(args.importer) ? { path: resolve(import.meta.dirname, '..', 'src/lib/random-id.ts') } : undefined,
    );
    // @actions/core's platform (OS details, through @actions/exec and @actions/io) is never asked for.
    b.onResolve({ filter: /^\.\/platform\.js$/ }, (args) =>
      /[\\/]@actions[\\/]core[\\/]/.test(args.importer) ? { path: 'platform', namespace: 'stub' } : undefined,
    );
    // @actions/core imports its HTTP client only for OIDC tokens, which we never request.
    b.onResolve({ filter: /^@actions\/http-client(\/.*)?$/ }, () => ({ path: 'http-client', namespace: 'stub' }));
    b.onLoad({ filter: /^platform$/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'const no = class { constructor() { throw new Error("OIDC is not part of icr-login"); } };\nexport { no as HttpClient, no as BearerCredentialHandler };',
      loader: 'js',
    }));
  },
};

await rm('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  // What a path needs only when it takes it (the login's phases after the inputs, the access check,
  // isolation, a compute identity) is loaded by import() from a chunk beside the entries, shared by
  // all three; deterministic names, so CI's diff of dist/ still holds.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  // The action runs on node24 (action.yml); the CLI on Node 22 (package.json engines). One floor for
  // every bundle: code built for node22 runs unchanged on node24.
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [lean],
});

// The licence notice of everything bundled, from what esbuild actually put in.
await writeLicenses({ metafile: result.metafile });
