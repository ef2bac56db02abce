// isolate: true gives docker a config folder of its own; the user's plugins and settings come along,
// nobody's credentials do. Adapter over node:fs.
import { readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonObject } from '../../lib/json.ts';
import { writePrivateFile } from '../private-files.ts';

const isDirectory = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * Writes into `isolated` the user's docker config.json from `userDir` minus `auths`, `credsStore` and
 * `credHelpers` (proxies, formats, aliases stay), with the user's cli-plugins folder (buildx, compose
 * installed per user) as an extra plugin folder, and links the user's contexts so `currentContext`
 * still resolves. A config.json that is missing or not JSON carries nothing but the plugins.
 */
export async function carryDockerSettings(userDir: string, isolated: string): Promise<void> {
  const config = parseJsonObject(await readFile(join(userDir, 'config.json'), 'utf8').catch(() => undefined)) ?? {};
  const { auths: _auths, credsStore: _store, credHelpers: _helpers, ...settings } = config;
  const extra = Array.isArray(settings['cliPluginsExtraDirs'])
    ? settings['cliPluginsExtraDirs'].filter((d): d is string => typeof d === 'string')
    : [];
  const plugins = join(userDir, 'cli-plugins');
  // Before any extra folder of the user's own, as docker searches its config folder before those.
  if ((await isDirectory(plugins)) && !extra.includes(plugins)) extra.unshift(plugins);
  if (extra.length > 0) settings['cliPluginsExtraDirs'] = extra;
  if (await isDirectory(join(userDir, 'contexts'))) await symlink(join(userDir, 'contexts'), join(isolated, 'contexts'));
  if (Object.keys(settings).length > 0) await writePrivateFile(join(isolated, 'config.json'), JSON.stringify(settings, null, '\t'));
}
