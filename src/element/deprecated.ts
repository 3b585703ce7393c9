/** The deprecated names already reported: each warns once per page, not on every use. */
const warned = new Set<string>();

/** Says once, on the console, that `old` is deprecated and what replaces it. */
export function deprecated(old: string, instead: string): void {
  if (warned.has(old)) return;
  warned.add(old);
  console.warn(`voice-widget: ${old} is deprecated and will be removed; use ${instead}`);
}
