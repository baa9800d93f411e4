/** What the .vsix ships: the extension and its user-facing page — not the CLI, not the developers' README. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const root = join(__dirname, '..', '..');
const USER_README = 'docs/marketplace/README.md';
const readme = readFileSync(join(root, USER_README), 'utf8');
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] ?? '');

describe('the .vsix file list', () => {
  let dir: string;
  before(() => {
    // The real package.json and .vscodeignore over a tree holding every kind of file the repository builds.
    dir = mkdtempSync(join(tmpdir(), 'atl-vsix-'));
    for (const f of ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', USER_README, ...images]) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(root, f), join(dir, f));
    }
    for (const f of ['dist/extension.js', 'dist/cli.js', 'dist/cli.js.map', 'dist/extension.js.map', 'dist/sandbox.js', 'dist/test/suite.js', 'dist/webview/main.js', 'src/cli/main.ts', 'test/unit/x.test.ts']) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), '// built\n');
    }
  });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('ships the extension and leaves the CLI, sources, tests and source maps out', async () => {
    const files = await listFiles({ cwd: dir, packageManager: PackageManager.None });
    for (const f of ['dist/extension.js', 'dist/webview/main.js', 'package.json']) assert.ok(files.includes(f), `ships ${f}`);
    for (const f of ['dist/cli.js', 'dist/cli.js.map', 'dist/extension.js.map', 'dist/test/suite.js', 'src/cli/main.ts', 'test/unit/x.test.ts']) assert.ok(!files.includes(f), `leaves out ${f}`);
  });

  it('the extension page is the user README, and every picture it shows ships in the package', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.package ?? '', new RegExp(`vsce package .*--readme-path ${USER_README} .*--no-rewrite-relative-links`));
    assert.ok(images.length >= 3, 'pictures');
    const files = await listFiles({ cwd: dir, packageManager: PackageManager.None });
    for (const img of images) assert.ok(files.includes(img), `${img} ships (a relative link into the package)`);
    assert.doesNotMatch(readme, /npm (ci|start|test|run)|test:|code-server|mocha/, 'no developer commands on the user page');
  });
});
