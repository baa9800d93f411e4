// Text the webview sends is untrusted; before it reaches the log it becomes one bounded line (pure: no vscode import).

/** Untrusted text as one bounded log line: control, line-separator and bidi characters become spaces. */
export function oneLogLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}… (${line.length - max} more characters)` : line;
}
