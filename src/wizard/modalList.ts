/**
 * The bulleted list a modal confirmation shows (dialogs.ts), without `vscode` so it is unit-tested: at most
 * MODAL_WRITES items one by one, then a count of the rest; each line cut at MODAL_LINE characters. VS Code 1.100 does
 * not scroll a modal taller than the window (its buttons then fall out of view), and guests' names (`…#EXT#@…`) wrap
 * over several lines.
 */
export const MODAL_WRITES = 6;
export const MODAL_LINE = 140;

const line = (text: string): string => `• ${text.length > MODAL_LINE ? `${text.slice(0, MODAL_LINE - 1)}…` : text}`;

/** The lines for `items`; `more(n)` words the count of those not shown (only asked for when n > 0). */
export function modalList(items: readonly string[], more: (count: number) => string): string[] {
  const shown = items.slice(0, MODAL_WRITES).map(line);
  const rest = items.length - shown.length;
  return rest > 0 ? [...shown, more(rest)] : shown;
}
