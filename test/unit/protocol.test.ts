import * as assert from 'node:assert/strict';
import { renderHtml } from '../../src/webview/html';
import { oneLogLine } from '../../src/webview/logLine';
import { CHECK_IDS, MAX_INBOUND_TEXT, assertNever, isGuid, parseFromWebview, parseSavedPanelState, parseToWebview, type FromWebview } from '../../src/webview/protocol';

const G1 = '0f8fad5b-d9cb-469f-a165-70867728950e';
const G2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('protocol: parseFromWebview', () => {
  const valid: FromWebview[] = [
    { type: 'ready' },
    { type: 'unhandledError', message: 'TypeError: x is undefined' },
    { type: 'openStep', step: 'change' },
    { type: 'revealInTree', what: 'target' },
    { type: 'chooseSubscription', subscriptionId: G1 },
    { type: 'chooseTarget', tenantId: G2.toUpperCase() },
    { type: 'typedTarget', value: 'contoso.com' },
    { type: 'signInToDirectory', tenantId: G2 },
    { type: 'recheck' },
    { type: 'copyRequestText', checkId: 'target-policy-allows-entering' },
    { type: 'saveSnapshot' },
    { type: 'continueWithoutSnapshot' },
    { type: 'revealSnapshot' },
    { type: 'setChangeMode', mode: 'api' },
    { type: 'changeDirectory' },
    { type: 'openPortal' },
    { type: 'cancelTracking' },
    { type: 'searchUsers', query: '' },
    { type: 'searchUsers', query: 'Megan' },
    { type: 'lookupUser', value: 'megan@contoso.com' },
    { type: 'setSelectedUsers', ids: [] },
    { type: 'setSelectedUsers', ids: [G1, G2] },
    { type: 'setRole', roleDefinitionId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' },
    { type: 'chooseRestorePrincipal', rowId: G1, principalId: G2 },
    { type: 'chooseRestorePrincipal', rowId: G1, principalId: null },
    { type: 'searchRestorePrincipal', rowId: G1, query: 'Team 42' },
    { type: 'searchRestorePrincipal', rowId: G1, query: G2 },
    { type: 'createAssignments' },
    { type: 'retryFailed' },
    { type: 'openLink', link: 'accessControlInPortal' },
    { type: 'exportReport' },
  ];

  it('accepts every well-formed message (and they survive a JSON round trip)', () => {
    for (const msg of valid) {
      assert.deepEqual(parseFromWebview(JSON.parse(JSON.stringify(msg))), msg, JSON.stringify(msg));
    }
  });

  it('every check id is accepted by copyRequestText', () => {
    for (const checkId of CHECK_IDS) assert.ok(parseFromWebview({ type: 'copyRequestText', checkId }));
  });

  it('rejects non-objects and unknown or inherited types', () => {
    for (const v of [undefined, null, 0, 'ready', true, [], [{ type: 'ready' }], () => ({ type: 'ready' }), new Date()]) {
      assert.equal(parseFromWebview(v), undefined, typeof v);
    }
    for (const type of ['', 'READY', 'nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'init', 'state']) {
      assert.equal(parseFromWebview({ type }), undefined, type);
    }
    assert.equal(parseFromWebview({}), undefined);
    assert.equal(parseFromWebview({ type: 1 }), undefined);
    assert.equal(parseFromWebview({ type: ['ready'] }), undefined);
  });

  it('rejects inherited fields and non-plain objects', () => {
    assert.equal(parseFromWebview(Object.create({ type: 'ready' })), undefined);
    class Msg { type = 'ready'; }
    assert.equal(parseFromWebview(new Msg()), undefined);
    const nullProto = Object.create(null) as Record<string, unknown>;
    nullProto.type = 'ready';
    assert.deepEqual(parseFromWebview(nullProto), nullProto);
  });

  it('rejects prototype-pollution keys and leaves Object.prototype alone', () => {
    const hostile = [
      '{"type":"ready","__proto__":{"polluted":true}}',
      '{"type":"recheck","constructor":{"prototype":{"polluted":true}}}',
      '{"type":"setRole","roleDefinitionId":"' + G1 + '","__proto__":{"isAdmin":true}}',
      '{"type":"chooseTarget","__proto__":{"tenantId":"' + G1 + '"}}',
    ];
    for (const json of hostile) assert.equal(parseFromWebview(JSON.parse(json)), undefined, json);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  it('rejects extra, missing and mistyped fields', () => {
    const bad: unknown[] = [
      { type: 'ready', extra: 1 },
      { type: 'recheck', force: true },
      { type: 'chooseSubscription' },
      { type: 'chooseSubscription', subscriptionId: 42 },
      { type: 'chooseSubscription', subscriptionId: G1, tenantId: G2 },
      { type: 'openStep', step: 'finish' },
      { type: 'openStep', step: 2 },
      { type: 'setChangeMode', mode: 'API' },
      { type: 'revealInTree', what: 'everything' },
      { type: 'copyRequestText', checkId: 'caller-is-god' },
      { type: 'chooseRestorePrincipal', rowId: G1 },
      { type: 'chooseRestorePrincipal', rowId: G1, principalId: undefined },
      { type: 'searchRestorePrincipal', rowId: G1 },
      { type: 'searchRestorePrincipal', rowId: G1, query: '' },
      { type: 'searchRestorePrincipal', rowId: G1, query: 'a'.repeat(257) },
      { type: 'searchRestorePrincipal', rowId: 'row-1', query: 'Team 42' },
      { type: 'searchRestorePrincipal', rowId: G1, query: 'Team\u202e42' },
      { type: 'searchRestorePrincipal', rowId: G1, query: 'Team 42', principalType: 'Group' },
      { type: 'setSelectedUsers', ids: G1 },
      { type: 'setSelectedUsers', ids: [G1, G1] },
      { type: 'setSelectedUsers', ids: { 0: G1, length: 1 } },
      { type: 'searchUsers', query: null },
      { type: 'lookupUser', value: '' },
      { type: 'typedTarget', value: '' },
      { type: 'openLink', link: 'https://evil.example' },
      { type: 'unhandledError' },
    ];
    for (const v of bad) assert.equal(parseFromWebview(v), undefined, JSON.stringify(v));
  });

  it('rejects non-GUID ids where GUIDs are expected', () => {
    for (const id of ['', 'abc', `${G1} `, `{${G1}}`, `${G1}x`, '../../etc/passwd', `${G1}\n${G2}`, 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz']) {
      assert.equal(parseFromWebview({ type: 'chooseSubscription', subscriptionId: id }), undefined, id);
      assert.equal(parseFromWebview({ type: 'chooseTarget', tenantId: id }), undefined, id);
      assert.equal(parseFromWebview({ type: 'setRole', roleDefinitionId: id }), undefined, id);
      assert.equal(parseFromWebview({ type: 'chooseRestorePrincipal', rowId: G1, principalId: id }), undefined, id);
      assert.equal(parseFromWebview({ type: 'setSelectedUsers', ids: [G1, id] }), undefined, id);
    }
  });

  it('rejects huge strings and huge arrays', () => {
    const huge = 'a'.repeat(1_000_000);
    assert.equal(parseFromWebview({ type: 'searchUsers', query: huge }), undefined);
    assert.equal(parseFromWebview({ type: 'lookupUser', value: 'a'.repeat(257) }), undefined);
    assert.equal(parseFromWebview({ type: 'typedTarget', value: 'a'.repeat(254) }), undefined);
    assert.equal(parseFromWebview({ type: 'unhandledError', message: huge }), undefined);
    assert.ok(MAX_INBOUND_TEXT < huge.length);
    const ids = Array.from({ length: 201 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    assert.equal(parseFromWebview({ type: 'setSelectedUsers', ids }), undefined);
    assert.ok(parseFromWebview({ type: 'setSelectedUsers', ids: ids.slice(0, 200) }));
  });

  it('rejects control characters in free text', () => {
    assert.equal(parseFromWebview({ type: 'searchUsers', query: 'meg\u0000an' }), undefined);
    assert.equal(parseFromWebview({ type: 'typedTarget', value: 'contoso.com\u001b[31m' }), undefined);
  });

  it('rejects C1 controls and bidi controls in what a person types (they mean nothing there)', () => {
    for (const hidden of ['\u0085', '\u009b', '\u202e', '\u2066', '\u200f', '\u061c']) {
      assert.equal(parseFromWebview({ type: 'typedTarget', value: `moc.osotnoc${hidden}` }), undefined, JSON.stringify(hidden));
      assert.equal(parseFromWebview({ type: 'searchUsers', query: `Meg${hidden}an` }), undefined, JSON.stringify(hidden));
      assert.equal(parseFromWebview({ type: 'lookupUser', value: `megan@contoso.com${hidden}` }), undefined, JSON.stringify(hidden));
    }
    assert.ok(parseFromWebview({ type: 'searchUsers', query: 'Åsa Öberg سارة' }), 'letters of any script are fine');
  });

  it('logs inbound error text as one bounded line: no forged log lines', () => {
    const forged = `TypeError: x\n[info] Signed in as admin\u2028\u202egnp.exe\u0085${'x'.repeat(3900)}`;
    const msg = parseFromWebview({ type: 'unhandledError', message: forged });
    assert.ok(msg?.type === 'unhandledError');
    const line = oneLogLine(msg.message);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(line), JSON.stringify(line.slice(0, 80)));
    assert.ok(line.length < 400);
    assert.match(line, /^TypeError: x \[info\] Signed in as admin gnp\.exe/);
  });
});

describe('protocol: parseToWebview', () => {
  it('rejects unknown types and malformed states', () => {
    assert.equal(parseToWebview({ type: 'eval', code: 'alert(1)' }), undefined);
    assert.equal(parseToWebview({ type: 'state' }), undefined);
    assert.equal(parseToWebview({ type: 'state', state: {} }), undefined);
    assert.equal(parseToWebview({ type: 'init', state: null, l10n: {} }), undefined);
    assert.equal(parseToWebview({ type: 'searchResults', query: 'x', results: [{ id: 1 }], error: null }), undefined);
  });
  it('accepts search results', () => {
    const msg = { type: 'searchResults', query: 'meg', results: [{ id: G1, displayName: 'Megan', detail: null, type: 'User' }], error: null };
    assert.deepEqual(parseToWebview(msg), msg);
  });
  it('accepts a restore row\'s search results and rejects malformed ones', () => {
    const results = [{ id: G2, displayName: 'Team 42', detail: null, type: 'Group' }];
    const msg = { type: 'restoreSearchResults', rowId: G1, query: 'team', results, error: null };
    assert.deepEqual(parseToWebview(msg), msg);
    assert.deepEqual(parseToWebview({ ...msg, results: [], error: 'No one found.' }), { ...msg, results: [], error: 'No one found.' });
    for (const bad of [{ ...msg, rowId: undefined }, { ...msg, results: [{ id: G2 }] }, { ...msg, error: 5 }, { ...msg, extra: 1 }]) {
      assert.equal(parseToWebview(bad), undefined, JSON.stringify(bad));
    }
  });
  it('a restore row may carry the reason it is not matched (text, optional)', () => {
    const row = { id: G1, oldPrincipalId: G2, oldPrincipalName: 'Team 42', oldPrincipalType: 'Group', role: 'Contributor', roleDefinitionId: G2, scope: '/subscriptions/x', candidates: [], chosen: null, match: 'unmatched' };
    const admins = { searchAllowed: true, selected: [], roles: [], roleDefinitionId: G2, repair: null, manual: [], creating: false, lookupError: null };
    const baseState = {
      header: { subscription: null, target: null },
      steps: [],
      choose: { subscriptions: null, directories: null, selectedSubscriptionId: null, selectedTenantId: null, typedTargetError: null },
      visible: null,
      change: null,
      done: null,
      busy: null,
      error: null,
    };
    const state = (restore: unknown[]) => ({ type: 'state', state: { ...baseState, activeStep: 'admins', admins: { ...admins, restore } } });
    assert.ok(parseToWebview(state([row])), 'without a reason');
    assert.ok(parseToWebview(state([{ ...row, reason: 'A group in another directory is another object.' }])), 'with a reason');
    assert.equal(parseToWebview(state([{ ...row, reason: 42 }])), undefined, 'a reason is text');
    assert.equal(parseToWebview(state([{ ...row, reason: 'x\u0000' }])), undefined, 'no control characters');
  });
});

describe('protocol: helpers', () => {
  it('isGuid', () => {
    assert.ok(isGuid(G1));
    assert.ok(!isGuid(42));
  });
  it('assertNever throws', () => {
    assert.throws(() => assertNever('x' as never));
  });
});

describe('protocol: parseSavedPanelState (what a restored panel hands the serializer)', () => {
  it('takes a subscription id, with or without the target', () => {
    assert.deepEqual(parseSavedPanelState({ subscriptionId: G1 }), { subscriptionId: G1 });
    assert.deepEqual(parseSavedPanelState({ subscriptionId: G1, targetTenantId: G2 }), { subscriptionId: G1, targetTenantId: G2 });
  });
  it('ignores anything else', () => {
    for (const bad of [undefined, null, 'x', [], {}, { subscriptionId: 'nope' }, { subscriptionId: G1, targetTenantId: 'contoso.com' }, { subscriptionId: G1, token: 'secret' }]) {
      assert.equal(parseSavedPanelState(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('webview HTML: the Content-Security-Policy', () => {
  it('is strict: nothing by default, nonce\'d script, no <base> and no form targets', () => {
    const html = renderHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://x/main.js', codiconUri: 'https://x/codicon.css', title: 'T', rootTag: 'atl-wizard' });
    const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(content, 'a CSP meta tag');
    const directives = new Map(content.replace(/&#39;/g, "'").split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values.join(' ')]));
    assert.equal(directives.get('default-src'), "'none'");
    assert.equal(directives.get('script-src'), "'nonce-abc123'");
    assert.equal(directives.get('base-uri'), "'none'");
    assert.equal(directives.get('form-action'), "'none'");
    assert.ok(![...directives.values()].some((v) => v.includes("'unsafe-inline'") || v.includes("'unsafe-eval'")));
  });
});
