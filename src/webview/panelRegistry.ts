/**
 * One panel per key (e.g. per subscription id). The key is read from each panel when asked (`keyOf`), never stored
 * at creation: a wizard that switches to another subscription in step 0 is found under its new key, and no longer
 * under the old one. No `vscode` at run time (types only), so it is unit-tested in mocha.
 */
import type * as vscode from 'vscode';

/** What the registry needs of a panel. */
export interface RegisteredPanel {
  reveal(): void;
  restore(panel: vscode.WebviewPanel): void;
  dispose(): void;
  readonly onDidDispose: (listener: () => void) => { dispose(): void };
}

export class PanelRegistry<W extends RegisteredPanel> {
  private readonly panels = new Set<W>();

  constructor(private readonly keyOf: (panel: W) => string) {}

  /** The panel that holds `key` now. */
  get(key: string): W | undefined {
    for (const w of this.panels) if (this.keyOf(w) === key) return w;
    return undefined;
  }

  keys(): string[] {
    return [...this.panels].map(this.keyOf);
  }

  /** The panel for `key`, created with `create` when there is none; synchronous, so concurrent calls share one. */
  open(key: string, create: () => W): W {
    const existing = this.get(key);
    if (existing) return existing;
    const created = create();
    this.add(created);
    return created;
  }

  /** Registers a panel VS Code restored after a reload; a second one for the same key is closed. */
  adopt(key: string, create: () => W, panel: vscode.WebviewPanel): W {
    const existing = this.get(key);
    if (existing) {
      panel.dispose();
      existing.reveal();
      return existing;
    }
    const created = create();
    this.add(created);
    created.restore(panel);
    return created;
  }

  private add(w: W): void {
    this.panels.add(w);
    w.onDidDispose(() => this.panels.delete(w));
  }

  dispose(): void {
    for (const w of [...this.panels]) w.dispose();
    this.panels.clear();
  }
}
