/** Reads package.json against the code: commands, titles, categories, palette visibility, localisation. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

interface Command { command: string; title: string; category?: string; icon?: string }
interface MenuItem { command: string; when?: string; group?: string }
interface Manifest {
  name: string;
  publisher: string;
  engines: { vscode: string };
  main: string;
  bin: Record<string, string>;
  icon: string;
  l10n: string;
  activationEvents: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    configuration: { properties: Record<string, { markdownDescription?: string }> };
    viewsWelcome: { view: string; contents: string }[];
  };
}

const pkg = JSON.parse(read('package.json')) as Manifest;
const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;
const nlsSv = JSON.parse(read('package.nls.sv.json')) as Record<string, string>;
const commandsSource = read('src/host/commands.ts');
/** Command names registered in the COMMANDS table (`azureTenantLink.` + key). */
const registered = new Set([...commandsSource.slice(commandsSource.indexOf('export const COMMANDS'), commandsSource.indexOf('} satisfies')).matchAll(/^ {2}(\w+): /gm)].map((m) => `azureTenantLink.${m[1] ?? ''}`));

/** Commands that need a tree node and have no QuickPick fallback: hidden from the palette. */
const NODE_ONLY = new Set(['azureTenantLink.copySubscriptionId', 'azureTenantLink.cancelChangeRequest', 'azureTenantLink.stopWatching']);

describe('package.json against the code', () => {
  it('identifies the extension and its CLI', () => {
    assert.equal(pkg.name, 'azure-tenant-link');
    assert.match(pkg.publisher, /^[a-z0-9][a-z0-9-]*$/);
    assert.equal(pkg.bin['tenant-link'], './dist/cli.js');
    assert.ok(existsSync(join(root, pkg.icon)), pkg.icon);
    // onStartupFinished: the sandbox-on-start-up setting and pending directory changes need the extension without a
    // click (activation only registers things); the wizard panel is restored after a reload; the rest is inferred.
    assert.deepEqual(pkg.activationEvents, ['onStartupFinished', 'onWebviewPanel:azureTenantLink.wizard']);
  });

  it('targets the oldest VS Code the extension tier runs on, with a matching azureauth', () => {
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.100.0');
    // azureauth 5.x needs ^1.105; 4.2.1 declares no engine.
    assert.match(pkg.dependencies['@microsoft/vscode-azext-azureauth'] ?? '', /^\^?4\./);
    assert.equal(pkg.dependencies['@vscode/webview-ui-toolkit'], undefined, 'deprecated: use @vscode-elements/elements');
  });

  it('registers every contributed command, and contributes every registered one', () => {
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    assert.deepEqual([...contributed].sort(), [...registered].sort());
  });

  it('gives every command a localised title and the category', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, '%category%', c.command);
      const key = /^%(.+)%$/.exec(c.title)?.[1];
      assert.ok(key && nls[key], `${c.command} title ${c.title}`);
    }
    assert.equal(nls.category, 'Azure Tenant Link');
  });

  it('hides node-only commands from the palette and shows the rest', () => {
    const palette = new Map((pkg.contributes.menus.commandPalette ?? []).map((m) => [m.command, m.when]));
    for (const c of pkg.contributes.commands) {
      if (NODE_ONLY.has(c.command)) assert.equal(palette.get(c.command), 'false', `${c.command} needs a node`);
      else assert.notEqual(palette.get(c.command), 'false', `${c.command} should be in the palette`);
    }
  });

  it('hangs the link command on Azure Resources\' subscription node and on ours', () => {
    const ctx = pkg.contributes.menus['view/item/context'] ?? [];
    assert.ok(ctx.some((m) => m.command === 'azureTenantLink.linkSubscription' && m.when?.includes('view == azureResourceGroups') && m.when.includes('azureextensionui\\.azureSubscription')));
    assert.ok(ctx.some((m) => m.command === 'azureTenantLink.linkSubscription' && m.when?.includes('viewItem == azureTenantLink.subscription')));
    for (const m of ctx) assert.ok(registered.has(m.command), m.command);
  });

  it('has every %key% in English and Swedish, and nothing else', () => {
    const keys = new Set([...JSON.stringify(pkg.contributes).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? ''));
    keys.add('extension.description');
    for (const k of keys) {
      assert.ok(nls[k], `package.nls.json lacks ${k}`);
      assert.ok(nlsSv[k], `package.nls.sv.json lacks ${k}`);
    }
    assert.deepEqual(Object.keys(nlsSv).sort(), Object.keys(nls).sort());
    for (const k of Object.keys(nls)) assert.ok(keys.has(k), `package.nls.json has unused ${k}`);
  });

  it('has a Swedish translation for every string the code localises, with the same placeholders, and none stale', async () => {
    const { extractStrings } = (await import('../../scripts/l10n-strings.mjs')) as { extractStrings: (root: string) => string[] };
    const strings = extractStrings(join(root, 'src'));
    const sv = JSON.parse(read('l10n/bundle.l10n.sv.json')) as Record<string, string>;
    const missing = strings.filter((s) => !(s in sv));
    assert.deepEqual(missing, [], 'untranslated strings');
    assert.deepEqual(Object.keys(sv).filter((k) => !strings.includes(k)), [], 'stale translations (no longer in the code)');
    const placeholders = (s: string): string => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
    for (const s of strings) assert.equal(placeholders(sv[s] ?? ''), placeholders(s), s);
  });

  it('keeps webview code out of the host bundle\'s activation path', () => {
    const ext = read('src/extension.ts');
    assert.doesNotMatch(ext, /^import (?!type ).*\.\/webview\/wizard'/m, 'the wizard is imported lazily');
    assert.doesNotMatch(ext, /^import .*sandbox\/server'/m, 'the sandbox is imported lazily');
  });
});
