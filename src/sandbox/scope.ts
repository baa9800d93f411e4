// ARM scopes: parsing and comparison (ARM paths are case-insensitive).
import { createHash } from 'node:crypto';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (value: string): boolean => GUID.test(value);

/** A stable GUID derived from a seed (for ids the scenario does not spell out). */
export function derivedGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type Scope =
  | { kind: 'root'; canonical: string; subscriptionId?: undefined; resourceGroup?: undefined }
  | { kind: 'managementGroup'; canonical: string; managementGroup: string; subscriptionId?: undefined; resourceGroup?: undefined }
  | { kind: 'subscription'; canonical: string; subscriptionId: string; resourceGroup?: undefined }
  | { kind: 'resourceGroup'; canonical: string; subscriptionId: string; resourceGroup: string }
  | { kind: 'resource'; canonical: string; subscriptionId: string; resourceGroup: string; resourceType: string; resourceName: string };

/** Parses an ARM scope such as `/subscriptions/{id}/resourceGroups/rg`. Returns undefined when it is not a scope. */
export function parseScope(raw: string): Scope | undefined {
  const trimmed = raw.replace(/\/+$/, '');
  if (trimmed === '') return { kind: 'root', canonical: '/' };
  const parts = trimmed.split('/');
  if (parts[0] !== '' || parts.slice(1).some((x) => x === '')) return undefined;
  const seg = parts.slice(1);
  const is = (i: number, word: string): boolean => seg[i]?.toLowerCase() === word.toLowerCase();
  if (seg.length === 4 && is(0, 'providers') && is(1, 'Microsoft.Management') && is(2, 'managementGroups')) {
    const mg = seg[3] ?? '';
    return { kind: 'managementGroup', canonical: `/providers/Microsoft.Management/managementGroups/${mg}`, managementGroup: mg };
  }
  if (!is(0, 'subscriptions') || seg[1] === undefined || !isGuid(seg[1])) return undefined;
  const subscriptionId = seg[1].toLowerCase();
  const sub = `/subscriptions/${subscriptionId}`;
  if (seg.length === 2) return { kind: 'subscription', canonical: sub, subscriptionId };
  if (!is(2, 'resourceGroups') || seg[3] === undefined) return undefined;
  const resourceGroup = seg[3];
  const rg = `${sub}/resourceGroups/${resourceGroup}`;
  if (seg.length === 4) return { kind: 'resourceGroup', canonical: rg, subscriptionId, resourceGroup };
  // providers/{namespace}/{type}/{name}[/{childType}/{childName}]…
  const rest = seg.slice(4);
  if (!is(4, 'providers') || rest.length < 4 || rest.length % 2 !== 0) return undefined;
  const [, ns = '', ...pairs] = rest;
  const types: string[] = [];
  const names: string[] = [];
  pairs.forEach((x, i) => (i % 2 === 0 ? types : names).push(x));
  return {
    kind: 'resource', canonical: `${rg}/${rest.join('/')}`, subscriptionId, resourceGroup,
    resourceType: [ns, ...types].join('/'), resourceName: names.join('/'),
  };
}

/** Lower-cased scope for comparisons. */
export const scopeKey = (scope: string): string => (scope === '/' ? '/' : scope.replace(/\/+$/, '').toLowerCase());

/** True when `inner` equals `outer` or lies below it. */
export function isAtOrBelow(inner: string, outer: string): boolean {
  const i = scopeKey(inner);
  const o = scopeKey(outer);
  return o === '/' || i === o || i.startsWith(`${o}/`);
}
