// The floor under the bench's "sandbox CPU" column: what a bare node:http server (no emulation at all) spends per
// request on this machine, answering a small JSON body after the same latency, to the same pattern as the listing: a
// client that starts fresh (as each CLI run does), two waves of 50 requests at once — the first opening its sockets,
// the second reusing them (keep-alive) — each with a bearer token's worth of headers. A sandbox share near what this
// floor gives is the cost of serving HTTP here, not of emulating Azure.
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { createInterface } from 'node:readline';

const SERVER = `
const { createServer } = require('node:http');
const latency = Number(process.argv[1]);
const items = Number(process.argv[2]);
const body = JSON.stringify({ value: Array.from({ length: items }, (_, i) => ({ id: '/subscriptions/' + i, displayName: 'Bench ' + i, state: 'Enabled' })) });
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/cpu') { res.end(JSON.stringify(process.cpuUsage())); return; }
    setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }, latency);
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

/**
 * CPU milliseconds per request of a bare node:http server, over `runs` × 2 waves × `fanOut` requests, each answer
 * about `answerKb` kB of JSON (1 kB: a listing's answers; 78 kB: a page of 100 role assignments).
 */
export async function transportFloor({ latencyMs, runs = 5, fanOut = 50, answerKb = 1 }) {
  const items = Math.max(1, Math.round((answerKb * 1000) / 62));
  const child = spawn(process.execPath, ['-e', SERVER, String(latencyMs), String(items)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => {
      child.once('error', reject);
      createInterface({ input: child.stdout }).once('line', (line) => resolve(Number(line)));
    });
    let agent = new Agent({ keepAlive: true });
    const headers = { authorization: `Bearer ${'x'.repeat(1200)}` };
    const fetchText = (path) => new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    const cpu = async () => { const c = JSON.parse(await fetchText('/cpu')); return c.user + c.system; };
    await Promise.all(Array.from({ length: fanOut }, () => fetchText('/warm')));
    let spent = 0;
    for (let r = 0; r < runs; r++) {
      agent.destroy();
      agent = new Agent({ keepAlive: true });
      const before = await cpu();
      for (let w = 0; w < 2; w++) await Promise.all(Array.from({ length: fanOut }, () => fetchText('/x')));
      spent += (await cpu()) - before;
    }
    agent.destroy();
    return spent / 1000 / (runs * 2 * fanOut);
  } finally {
    child.kill('SIGTERM');
  }
}
