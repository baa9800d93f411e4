// The cap per throttling bucket: a subscription, a directory, Resource Graph; one bucket full or paused holds back
// only itself.
import assert from 'node:assert/strict';
import { ThrottleGate, throttleBucket } from '../../../src/azure/throttle';

const SUB_A = '5b000001-0000-4000-8000-000000000000';
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('throttle buckets', () => {
  it('names the bucket of a request: its subscription, else its directory, Resource Graph apart', () => {
    assert.equal(throttleBucket('arm', `https://management.azure.com/subscriptions/${SUB_A.toUpperCase()}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, 'T1'), `arm:${SUB_A}`);
    assert.equal(throttleBucket('arm', 'https://management.azure.com/tenants?api-version=2022-12-01', 'T1'), 'arm:t1');
    assert.equal(throttleBucket('arm', 'https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01', 'T1'), 'resourceGraph:t1');
    assert.equal(throttleBucket('graph', `https://graph.microsoft.com/v1.0/subscriptions/${SUB_A}`, 'T1'), 'graph:t1');
  });

  it('caps each bucket on its own, and all of them together', async () => {
    const gate = new ThrottleGate({ perBucket: 2, total: 3 });
    const started: string[] = [];
    const take = (bucket: string): Promise<() => void> => gate.acquire(bucket).then((release) => { started.push(bucket); return release; });
    const a1 = take('A');
    const a2 = take('A');
    const a3 = take('A');
    const b1 = take('B');
    const b2 = take('B');
    await tick();
    assert.deepEqual(started, ['A', 'A', 'B'], 'A full at 2; B gets the third overall slot');
    (await a1)();
    await tick();
    assert.deepEqual(started, ['A', 'A', 'B', 'A'], 'the waiting A goes first, in arrival order');
    (await b1)();
    await tick();
    assert.deepEqual(started, ['A', 'A', 'B', 'A', 'B']);
    for (const p of [a2, a3, b2]) (await p)();
  });

  it('a paused bucket (Retry-After) waits, the others do not', async () => {
    const gate = new ThrottleGate({ perBucket: 4, total: 8 });
    gate.pause('A', 60);
    const order: string[] = [];
    const a = gate.acquire('A').then((release) => { order.push('A'); release(); });
    const b = gate.acquire('B').then((release) => { order.push('B'); release(); });
    await b;
    assert.deepEqual(order, ['B']);
    await a;
    assert.deepEqual(order, ['B', 'A']);
  });

  it('gives up a wait when the operation is cancelled', async () => {
    const gate = new ThrottleGate({ perBucket: 1, total: 1 });
    const release = await gate.acquire('A');
    const controller = new AbortController();
    const waiting = gate.acquire('A', controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    release();
    (await gate.acquire('A'))();
  });
});
