// Webview test harness: the built webview UI (dist/webview/main.js) in Debian's Chromium, with a fake VS Code API.
// Run by `npm run test:webview` (scripts/run-webview-tests.mjs: mocha + tsx over test/webview/**/*.test.ts).
//
// API
//   withPage(fn, opts?)            one-shot: starts the server and Chromium, opens the page, runs fn(wp), closes all.
//                                  Throws after fn if the page had uncaught errors (pageerror), unless
//                                  opts.allowPageErrors. Returns fn's result.
//   const h = await openHarness(opts?)   reusable (start in before(), h.close() in after()):
//     h.origin                     http://127.0.0.1:PORT serving a private copy of dist/webview/** (builds in the
//                                  same checkout wipe dist/, so the copy is taken once at start)
//     h.open(pageOpts?) → wp       a fresh browser context + page, loaded and ready
//     h.withPage(fn, pageOpts?)    open, run fn(wp), check page errors, close the context
//     h.browser                    the playwright-core Browser
//     h.close()
//   wp (WebviewTestPage):
//     wp.page                      the playwright-core Page
//     wp.posted()                  messages the UI posted through acquireVsCodeApi().postMessage, in order (JSON copies)
//     wp.clearPosted()
//     wp.waitForPosted(type, {timeout}) the first posted message whose `type` equals `type` (waits for it)
//     wp.send(msg)                 delivers a host→webview message (window.postMessage, as VS Code does), then waits
//                                  two animation frames so a Lit render has happened
//     wp.state()                   what the UI last passed to setState (undefined at first)
//     wp.pageErrors / wp.consoleErrors / wp.cspViolations   collected so far (console errors: favicon noise ignored)
//     wp.screenshot(name)          test-results/webview/<name>.png; returns the path
//     wp.close()
//   Options (openHarness / withPage):
//     rootTag                      the custom element the default page holds ('atl-wizard')
//     html(ctx)                    serve this document at '/' instead; ctx = { origin, nonce, scriptUri, codiconUri }
//     initialState                 what getState() returns (the webview's persisted state)
//   Page options (h.open / withPage): viewport {width,height} (1000×800), deviceScaleFactor (1), colorScheme.
//
// The default page is the production webview document (renderHtml from src/webview/html.ts): its CSP (default-src
// 'none'; scripts only with the nonce), the codicon stylesheet (id="vscode-codicon-stylesheet") and main.js as a module. The fake
// acquireVsCodeApi is installed as an init script (before any page script; it may be called once, as in VS Code).
// Chromium: /usr/bin/chromium (or CHROMIUM_PATH), flags as in shared/docs/vscode-offline-testing.md.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { renderHtml } from '../../../src/webview/html';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const DIST_WEBVIEW = join(ROOT, 'dist', 'webview');
export const SHOTS = join(ROOT, 'test-results', 'webview');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const NONCE = 'aGFybmVzcy1ub25jZS0wMDE=';
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json' };

export interface HtmlContext { origin: string; nonce: string; scriptUri: string; codiconUri: string }
export interface HarnessOptions { html?: (ctx: HtmlContext) => string; rootTag?: string; initialState?: unknown }
export interface PageOptions { viewport?: { width: number; height: number }; deviceScaleFactor?: number; colorScheme?: 'light' | 'dark'; allowPageErrors?: boolean }

export interface WebviewTestPage {
  page: Page;
  posted(): Promise<unknown[]>;
  clearPosted(): Promise<void>;
  waitForPosted(type: string, opts?: { timeout?: number }): Promise<unknown>;
  send(msg: unknown): Promise<void>;
  state(): Promise<unknown>;
  pageErrors: string[];
  consoleErrors: string[];
  cspViolations(): Promise<string[]>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface Harness {
  origin: string;
  browser: Browser;
  open(opts?: PageOptions): Promise<WebviewTestPage>;
  withPage<T>(fn: (wp: WebviewTestPage) => Promise<T>, opts?: PageOptions): Promise<T>;
  close(): Promise<void>;
}

/** The browser globals the harness touches (the root tsconfig has no DOM lib). */
interface HarnessWindow {
  __posted: { type?: unknown }[];
  __state: unknown;
  __csp: string[];
  postMessage(message: unknown, targetOrigin: string): void;
  requestAnimationFrame(cb: () => void): number;
}

/** A string, not a function: tsx's keepNames would wrap a function in a `__name` helper the page lacks. */
function fakeVsCodeApi(initialState: unknown): string {
  return `(() => {
  window.__posted = [];
  window.__state = ${JSON.stringify(initialState ?? null)} ?? undefined;
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => window.__state,
      setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); return s; },
    });
  };
})();`;
}

/** The production webview document (src/webview/html.ts): its CSP, codicon link and nonce'd module script. */
function defaultHtml(c: HtmlContext, opts: HarnessOptions): string {
  return renderHtml({ cspSource: c.origin, nonce: c.nonce, scriptUri: c.scriptUri, codiconUri: c.codiconUri, title: 'Webview harness', rootTag: opts.rootTag ?? 'atl-wizard' });
}

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`${p} is missing: run npm run setup:test-env (or set CHROMIUM_PATH)`);
  return p;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

async function startServer(opts: HarnessOptions): Promise<{ origin: string; close: () => Promise<void> }> {
  if (!existsSync(join(DIST_WEBVIEW, 'main.js'))) throw new Error('dist/webview/main.js is missing: run npm run build (or node esbuild.mjs) first');
  const served = mkdtempSync(join(tmpdir(), 'tl-webview-'));
  cpSync(DIST_WEBVIEW, served, { recursive: true });
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/' || path === '/index.html') {
      const ctx = { origin, nonce: NONCE, scriptUri: `${origin}/main.js`, codiconUri: `${origin}/codicon.css` };
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.end(opts.html ? opts.html(ctx) : defaultHtml(ctx, opts));
      return;
    }
    const file = normalize(join(served, path));
    if (!file.startsWith(served + sep) || !existsSync(file)) {
      res.statusCode = path === '/favicon.ico' ? 204 : 404;
      res.end();
      return;
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => { r(); }));
      rmSync(served, { recursive: true, force: true });
    },
  };
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => { (globalThis as unknown as HarnessWindow).requestAnimationFrame(() => (globalThis as unknown as HarnessWindow).requestAnimationFrame(() => { r(); })); }));
}

/** Starts the static server and Chromium; open pages with h.open() / h.withPage(). */
export async function openHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const server = await startServer(opts);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.close();
    throw e;
  }
  const contexts = new Set<BrowserContext>();

  const open = async (p: PageOptions = {}): Promise<WebviewTestPage> => {
    const context = await browser.newContext({ viewport: p.viewport ?? { width: 1000, height: 800 }, deviceScaleFactor: p.deviceScaleFactor ?? 1, colorScheme: p.colorScheme ?? 'dark' });
    contexts.add(context);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon/.test(m.text())) consoleErrors.push(m.text());
      if (process.env.DEBUG_WEBVIEW) console.log(`[page ${m.type()}] ${m.text()}`);
    });
    await page.addInitScript(fakeVsCodeApi(opts.initialState));
    await page.goto(`${server.origin}/`, { waitUntil: 'load' });
    const wp: WebviewTestPage = {
      page,
      posted: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__posted),
      clearPosted: () => page.evaluate(() => { (globalThis as unknown as HarnessWindow).__posted.length = 0; }),
      waitForPosted: async (type, { timeout = 5000 } = {}) => {
        const h = await page.waitForFunction((t) => (globalThis as unknown as HarnessWindow).__posted.find((m) => m.type === t), type, { timeout });
        return h.jsonValue();
      },
      send: async (msg) => {
        await page.evaluate((m) => { (globalThis as unknown as HarnessWindow).postMessage(m, '*'); }, msg);
        await settle(page);
      },
      state: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__state),
      pageErrors,
      consoleErrors,
      cspViolations: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__csp),
      screenshot: async (name) => {
        mkdirSync(SHOTS, { recursive: true });
        const path = join(SHOTS, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      close: async () => {
        contexts.delete(context);
        await context.close();
      },
    };
    return wp;
  };

  return {
    origin: server.origin,
    browser,
    open,
    async withPage(fn, p = {}) {
      const wp = await open(p);
      try {
        const result = await fn(wp);
        if (!p.allowPageErrors && wp.pageErrors.length) throw new Error(`uncaught errors in the webview:\n${wp.pageErrors.join('\n')}`);
        return result;
      } finally {
        await wp.close();
      }
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

/** One-shot: server + Chromium + page, fn(wp), then everything is closed. */
export async function withPage<T>(fn: (wp: WebviewTestPage) => Promise<T>, opts: HarnessOptions & PageOptions = {}): Promise<T> {
  const h = await openHarness(opts);
  try {
    return await h.withPage(fn, opts);
  } finally {
    await h.close();
  }
}
