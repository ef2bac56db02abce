// Reading JSON we did not write ourselves, or wrote in an earlier step: never throws.
export function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object, or undefined for anything else (arrays, scalars, junk). */
export function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  const v = parseJson(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
