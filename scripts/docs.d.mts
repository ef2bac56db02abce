// Types for scripts/docs.mjs, so the TypeScript tests can import it.
export interface ActionSpec {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  [key: string]: unknown;
}
export interface RegionRow {
  readonly name: string;
  readonly alias?: string;
  readonly domain: string;
  readonly privateDomain: string;
}
export interface Sources {
  action: ActionSpec;
  regions: readonly RegionRow[];
  usage: string;
}
export type Sections = Record<'inputs' | 'outputs' | 'regions' | 'usage', string>;

export const ROOT: string;
export const SECTIONS: readonly (keyof Sections)[];
export function renderInputs(action: ActionSpec): string;
export function renderOutputs(action: ActionSpec): string;
export function renderRegions(regions: readonly RegionRow[]): string;
export function renderUsage(usage: string): string;
export function loadSources(root?: string): Promise<Sources>;
export function renderSections(sources: Sources): Sections;
export function extractSection(readme: string, name: string): string;
export function render(readme: string, sections: Sections): string;
