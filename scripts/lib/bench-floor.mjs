// The floor under the bench's "sandbox CPU" column: what a bare node:http server (no emulation at all) spends per
// request on this machine, answering a small JSON body after the same latency, to the same fan-out as the listing
// (waves of 50 requests at once over keep-alive sockets, each with a bearer token's worth of headers). A sandbox share
// near what this floor gives is the cost of serving HTTP here, not of emulating Azure.
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { createInterface } from 'node:readline';

const SERVER = `
const { createServer } = require('node:http');
const body = JSON.stringify({ value: Array.from({ length: 20 }, (_, i) => ({ id: '/subscriptions/' + i, displayName: 'Bench ' + i, state: 'Enabled' })) });
const latency = Number(process.argv[1]);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/cpu') { res.end(JSON.stringify(process.cpuUsage())); return; }
    setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }, latency);
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

/** CPU milliseconds per request of a bare node:http server, over `waves` × `fanOut` requests. */
export async function transportFloor({ latencyMs, waves = 10, fanOut = 50 }) {
  const child = spawn(process.execPath, ['-e', SERVER, String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => {
      child.once('error', reject);
      createInterface({ input: child.stdout }).once('line', (line) => resolve(Number(line)));
    });
    const agent = new Agent({ keepAlive: true });
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
    const before = await cpu();
    for (let w = 0; w < waves; w++) await Promise.all(Array.from({ length: fanOut }, () => fetchText('/x')));
    const after = await cpu();
    agent.destroy();
    return (after - before) / 1000 / (waves * fanOut);
  } finally {
    child.kill('SIGTERM');
  }
}
