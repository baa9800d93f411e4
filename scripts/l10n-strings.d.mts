/** Every string the extension host localises (see l10n-strings.mjs). */
export function extractStrings(root?: string): string[];
