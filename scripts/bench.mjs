// `npm run bench`: the CLI against the sandbox with injected latency, each run as a ratio to the round-trip bound
// (the fewest sequential round trips the work needs × the latency), with the same work at concurrency 1 beside it.
// It bundles src/cli/main.ts and src/sandbox/serve.ts with esbuild into a temp folder, runs the sandbox as a child
// process (its own CPU, driven through its control API) and the CLI in this process, in-process through `main(argv, io)`.
// Prints numbers; asserts nothing about time.
//
// Usage: node scripts/bench.mjs [--latency <ms>] [--concurrency <n>]
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const LATENCY = flag('--latency', 20);
const CONCURRENCY = flag('--concurrency', 8);

import { allInScenario, bigScenario, listingScenario, subId, tenantId } from './lib/bench-scenarios.mjs';

// ---------- the runs ----------

const out = mkdtempSync(join(tmpdir(), 'tenant-link-bench-'));
try {
  await build({
    entryPoints: { cli: join(root, 'src/cli/main.ts'), sandbox: join(root, 'src/sandbox/serve.ts') },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outdir: out, outExtension: { '.js': '.cjs' },
    external: ['@azure/identity'], logLevel: 'error',
  });
  const require = createRequire(import.meta.url);
  const { main } = require(join(out, 'cli.cjs'));
  const child = spawn(process.execPath, [join(out, 'sandbox.cjs'), '--latency', String(LATENCY)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()));
  });
  const control = async (method, path, body) => {
    const res = await fetch(`${baseUrl}/_sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const quiet = { stdout: () => {}, stderr: () => {}, stderrIsTTY: false, env: {} };
  const rows = [];

  async function measure(label, scenarioJson, argv, bound) {
    await control('POST', 'scenario', scenarioJson);
    for (const concurrency of [CONCURRENCY, 1]) {
      await control('POST', 'reset');
      await control('DELETE', 'requests');
      const errors = [];
      const io = { ...quiet, stderr: (t) => errors.push(t) };
      const started = performance.now();
      const code = await main(['--sandbox', baseUrl, '--concurrency', String(concurrency), '--json', ...argv], io);
      const ms = performance.now() - started;
      if (code !== 0 && code !== 3) throw new Error(`${label}: exit ${code}: ${errors.join('')}`);
      const log = (await control('GET', 'requests')).value;
      const serverMs = log.reduce((n, e) => n + Math.max(0, e.durationMs - LATENCY), 0) / Math.max(1, log.length);
      rows.push({ label, concurrency, ms, requests: log.length, serverMs, bound, ratio: ms / (bound.trips * LATENCY) });
    }
  }

  // Round-trip bounds (fewest sequential round trips; tokens count, they go through the same latency):
  // listing: home token → GET /tenants → per directory, in parallel: token → GET /subscriptions (one page of 20).
  await measure('subscriptions: 50 directories × 20', listingScenario(), ['subscriptions'], { trips: 4, why: 'token, tenants, token, subscriptions' });
  // plan, 4,000 assignments: token → tenants → token → subscriptions (find its home) → 40 pages of assignments (nextLink is
  // sequential) → getByIds (4 chunks of 1,000 in parallel; role names in parallel).
  const pages = Math.ceil(4000 / 100);
  await measure('plan: 1 subscription, 4,000 assignments', bigScenario(), ['plan', '--subscription', subId(0, 0), '--to', tenantId(1)], { trips: 4 + pages + 1, why: `token, tenants, token, subscriptions, ${pages} pages, getByIds` });
  // plan --all-in, 50 subscriptions: token → GET /subscriptions of the directory → per subscription in parallel: assignments
  // (one page) → getByIds / role names.
  await measure('plan --all-in: 50 subscriptions', allInScenario(), ['plan', '--all-in', tenantId(0), '--to', tenantId(1)], { trips: 4, why: 'token, subscriptions, assignments, getByIds' });
  child.removeAllListeners('exit');
  child.kill('SIGTERM');

  const pad = (v, n) => String(v).padStart(n);
  console.log(`tenant-link CLI against the sandbox, ${LATENCY} ms latency per request (ARM, Graph and token endpoint)`);
  console.log(`ratio = wall time / (round-trip bound × ${LATENCY} ms); 1.0 would be perfect overlap\n`);
  console.log(`${'work'.padEnd(42)}${pad('concurrency', 12)}${pad('wall ms', 10)}${pad('requests', 10)}${pad('sandbox ms/req', 16)}${pad('bound', 7)}${pad('ratio', 8)}`);
  for (const r of rows) {
    console.log(`${(r.concurrency === 1 ? '' : r.label).padEnd(42)}${pad(r.concurrency, 12)}${pad(r.ms.toFixed(0), 10)}${pad(r.requests, 10)}${pad(r.serverMs.toFixed(1), 16)}${pad(r.bound.trips, 7)}${pad(r.ratio.toFixed(2), 8)}`);
  }
  console.log('\nsandbox ms/req: time the emulator spent per request beyond the injected latency (its own CPU work).');
  console.log('\nbounds:');
  for (const r of rows.filter((x) => x.concurrency !== 1)) console.log(`  ${r.label}: ${r.bound.trips} (${r.bound.why})`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
