// Lists every string the extension host localises: first arguments of `vscode.l10n.t('…')` / `l10n.t("…")` in src/
// (string literals only) and the webview UI's English strings (sent translated through vscode.l10n.t).
// `node scripts/l10n-strings.mjs --missing sv` prints those without a translation in l10n/bundle.l10n.sv.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const CALL = /\bl10n\.t\(\s*(['"])((?:\\.|(?!\1).)*)\1/g;

export function extractStrings(root = 'src') {
  const out = new Set();
  for (const file of walk(root)) {
    if (file.includes(`${join('webview', 'ui')}`) && !file.endsWith('strings.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) out.add(JSON.parse(`"${m[2].replace(/\\'/g, "'").replace(/"/g, '\\"')}"`));
  }
  const ui = readFileSync(join(root, 'webview', 'uiStrings.ts'), 'utf8');
  const block = ui.slice(ui.indexOf('export const EN'), ui.indexOf('} as const') > 0 ? ui.indexOf('} as const') : undefined);
  for (const m of block.matchAll(/^\s*(?:'[^']+'|[\w.]+):\s*(['"])((?:\\.|(?!\1).)*)\1,?\s*$/gm)) out.add(JSON.parse(`"${m[2].replace(/\\'/g, "'").replace(/"/g, '\\"')}"`));
  return [...out].sort();
}

if (process.argv[1]?.endsWith('l10n-strings.mjs')) {
  const strings = extractStrings();
  const lang = process.argv[process.argv.indexOf('--missing') + 1];
  if (process.argv.includes('--missing')) {
    const bundle = JSON.parse(readFileSync(`l10n/bundle.l10n.${lang}.json`, 'utf8'));
    for (const s of strings) if (!(s in bundle)) console.log(JSON.stringify(s));
  } else {
    for (const s of strings) console.log(JSON.stringify(s));
  }
}
