// The webview HTML document (pure: no vscode import, so the webview tests load exactly this page).

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The webview document: strict CSP, codicons stylesheet (vscode-icon needs it by id), one nonce'd module script. */
export function renderHtml(args: { cspSource: string; nonce: string; scriptUri: string; codiconUri: string; title: string; rootTag: string; lang?: string }): string {
  const { cspSource, nonce } = args;
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // No <base> may re-root relative URLs and no form may post anywhere (neither is used).
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  if (!/^[a-z][a-z0-9-]*-[a-z0-9-]*$/.test(args.rootTag)) throw new Error(`Not a custom element name: ${args.rootTag}`);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(args.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(args.codiconUri)}" nonce="${escapeHtml(nonce)}">
<title>${escapeHtml(args.title)}</title>
</head>
<body>
<${args.rootTag}></${args.rootTag}>
<script type="module" nonce="${escapeHtml(nonce)}" src="${escapeHtml(args.scriptUri)}"></script>
</body>
</html>`;
}
