// Types for scripts/changelog.mjs, so the TypeScript tests can import it.
export const ROOT: string;
export function versionOf(tagOrVersion: string): string;
export function changelogSection(changelog: string, version: string): string | undefined;
