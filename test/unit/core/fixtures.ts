/** Scenario helpers for the core and CLI tests: named look-ups and small variants of the default scenario. */
import type { Scenario } from '../../../src/sandbox/scenario';
import { scenario } from '../helpers';

export const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

export function tenantOf(s: Scenario, name: string): Scenario['tenants'][number] {
  const t = s.tenants.find((x) => x.displayName === name);
  if (!t) throw new Error(`no tenant ${name}`);
  return t;
}

export function subscriptionOf(s: Scenario, name: string): Scenario['subscriptions'][number] {
  const sub = s.subscriptions.find((x) => x.displayName === name);
  if (!sub) throw new Error(`no subscription ${name}`);
  return sub;
}

/** The object id of an account's user in a directory. */
export function oidOf(s: Scenario, tenantName: string, account: string): string {
  const u = tenantOf(s, tenantName).users.find((x) => x.account?.toLowerCase() === account.toLowerCase());
  if (!u) throw new Error(`${account} has no user in ${tenantName}`);
  return u.id;
}

/** Every object id that exists in a directory. */
export function objectIds(s: Scenario, tenantName: string): Set<string> {
  const t = tenantOf(s, tenantName);
  return new Set([...t.users, ...t.groups, ...t.servicePrincipals].map((x) => x.id.toLowerCase()));
}

/** A copy of the default scenario changed by `edit` (a fresh copy each call). */
export function variant(edit: (s: Scenario) => void): Scenario {
  const s = scenario();
  edit(s);
  s.expectedCounts = {};
  return s;
}

/** The assignment that gives `principalId` the role at exactly `scope`. */
export function assignmentAt(s: Scenario, scope: string, principalId: string, role: string): Scenario['roleAssignments'][number] {
  const a = s.roleAssignments.find((x) => x.scope.toLowerCase() === scope.toLowerCase() && x.principalId === principalId && x.role === role);
  if (!a) throw new Error(`no assignment of ${role} to ${principalId} at ${scope}`);
  return a;
}
