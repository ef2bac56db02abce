// Types for scripts/docs.mjs, so the TypeScript tests can import it.
import type { BenchResults } from '../bench/results.ts';

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
  bench: BenchResults;
}
export type SectionName = 'inputs' | 'outputs' | 'regions' | 'usage' | 'machine' | 'bench';
export type Sections = Record<SectionName, string>;

export const ROOT: string;
export const PAGES: {
  readonly 'README.md': SectionName[];
  readonly 'docs/cli.md': SectionName[];
  readonly 'docs/performance.md': SectionName[];
};
export function renderInputs(action: ActionSpec): string;
export function renderOutputs(action: ActionSpec): string;
export function renderRegions(regions: readonly RegionRow[]): string;
export function renderUsage(usage: string): string;
export function renderMachine(bench: BenchResults): string;
export function renderBench(bench: BenchResults): string;
export function benchFigures(bench: BenchResults): Set<string>;
export function loadSources(root?: string): Promise<Sources>;
export function renderSections(sources: Sources): Sections;
export function extractSection(text: string, name: string, page?: string): string;
export function render(text: string, page: keyof typeof PAGES, sections: Sections): string;
