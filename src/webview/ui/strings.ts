// Every user-visible English string of the wizard UI, in one place.
//
// The host sends a translated map in the `init` message (keys as below, values from `vscode.l10n.t(english)`);
// keys missing from that map fall back to the English here. Placeholders are `{0}`, `{1}`… as in vscode.l10n.
// Words (ux.md): "directory" in the UI, "tenant" only in tooltips and ids.

export const EN = {
  appLabel: 'Change the directory of an Azure subscription',
  loading: 'Loading…',
  stepsLabel: 'Steps',
  'step.choose': 'Choose',
  'step.visible': 'Make the directory visible',
  'step.change': 'Change the directory',
  'step.admins': 'Add administrators',
  'step.done': 'Done',
  'stepStatus.done': 'done',
  'stepStatus.current': 'current step',
  'stepStatus.todo': 'not yet available',
  'stepStatus.blocked': 'blocked',
  stepNumber: 'Step {0}',

  'header.noSubscription': 'No subscription chosen',
  'header.noTarget': 'no directory chosen',
  'header.sentence': 'Move {0} from {1} to {2}',
  'header.in': 'in {0}',
  'header.office365': 'Office 365',
  'header.notOffice365': 'Not Office 365',
  'header.office365Unknown': 'Office 365: unknown',
  'header.revealSubscription': 'Reveal the subscription in the Directories view',
  'header.revealTarget': 'Reveal the target directory in the Directories view',
  'header.openPortal': 'Open in portal',
  'header.report': 'Report',

  'choose.title': 'Choose the subscription and the directory',
  'choose.subscription': 'Subscription',
  'choose.target': 'Target directory',
  'choose.targetHint': 'Office 365 directories are listed first.',
  'choose.signInRequired': 'sign in required',
  'choose.current': 'current directory',
  'choose.typed': 'Or type a tenant id or domain',
  'choose.typedPlaceholder': 'contoso.com or 00000000-0000-0000-0000-000000000000',
  'choose.use': 'Use this directory',
  'choose.continue': 'Continue',
  'choose.loadingSubscriptions': 'Loading subscriptions…',
  'choose.loadingDirectories': 'Loading directories…',
  'choose.noSubscriptions': 'No subscriptions found. Sign in to Azure with an account that owns the subscription.',

  'visible.title': 'Make {0} visible',
  'visible.account': 'Signed in as {0}',
  'visible.checking': 'Checking your access to {0}…',
  'visible.signIn': 'Sign in to directory',
  'visible.recheck': 'Check again',
  'visible.continue': 'Continue',

  'finding.fix': 'Fix: {0}',
  'finding.owner': 'Who: {0}',
  'finding.copy': 'Copy request text',
  'status.pass': 'Passed',
  'status.warn': 'Warning',
  'status.fail': 'Blocked',
  'status.unknown': 'Unknown',

  'change.title': 'Change the directory',
  'change.preflight': 'Pre-flight checks',
  'change.checksRunning': 'Running pre-flight checks…',
  'change.summary.pass': '{0} passed',
  'change.summary.warn.one': '{0} warning',
  'change.summary.warn.other': '{0} warnings',
  'change.summary.fail': '{0} blocked',
  'change.summary.unknown': '{0} unknown',
  'impact.title': 'What the move deletes',
  'impact.loading': 'Reading role assignments…',
  'impact.summary.assignments.one': '{0} role assignment',
  'impact.summary.assignments.other': '{0} role assignments',
  'impact.summary.customRoles.one': '{0} custom role',
  'impact.summary.customRoles.other': '{0} custom roles',
  'impact.group.all': 'All',
  'impact.group.subscription': 'Subscription',
  'impact.group.resourceGroup': 'Resource groups',
  'impact.group.resource': 'Resources',
  'impact.group.inherited': 'Inherited',
  'impact.groupLabel': 'Show role assignments at',
  'impact.filter': 'Filter role assignments',
  'impact.col.principal': 'Principal',
  'impact.col.role': 'Role',
  'impact.col.scope': 'Scope',
  'impact.col.effect': 'Effect',
  'impact.deleted': '(deleted principal)',
  'impact.unknown': '(unknown: lookup failed)',
  'impact.scope.subscription': 'subscription',
  'impact.scope.managementGroup': 'management group {0}',
  'impact.removed': 'deleted',
  // Inherited (management-group) assignments are not deleted, but stop applying: the subscription leaves the source
  // directory's management-group tree. The same words as the CLI's plan ("inherited stop applying").
  'impact.inherited': 'stops applying (inherited)',
  'impact.none': 'No role assignments match.',
  'impact.page': 'Rows {0}–{1} of {2}',
  'impact.prev': 'Previous page',
  'impact.next': 'Next page',
  'impact.sortBy': 'Sort by {0}',
  'impact.customRoles': 'Custom roles ({0}) — recreated by hand in the new directory',
  'impact.customRole.one': '{0} · {1} assignment',
  'impact.customRole.other': '{0} · {1} assignments',
  'impact.classicAdmins': 'Classic administrators ({0}) — removed by the move',
  'impact.dependents': 'Depends on the directory ({0})',
  'impact.recoverable': 'can be repaired after the move',
  'impact.notRecoverable': 'must be recreated or moved out first',
  // Classic administrator roles as Microsoft Learn names them
  // (https://learn.microsoft.com/azure/role-based-access-control/classic-administrators); the API joins several with ';'.
  'classicRole.AccountAdministrator': 'Account Administrator',
  'classicRole.ServiceAdministrator': 'Service Administrator',
  'classicRole.CoAdministrator': 'Co-Administrator',

  'snapshot.title': 'Access snapshot',
  'snapshot.notSaved': 'Not saved. Save the role assignments before they are deleted, so you can restore them in step 3.',
  'snapshot.saving': 'Saving snapshot…',
  'snapshot.saved.one': 'Saved {0} role assignment to {1}',
  'snapshot.saved.other': 'Saved {0} role assignments to {1}',
  'snapshot.failed': 'Could not save the snapshot: {0}',
  'snapshot.skipped': 'Continuing without a snapshot. You will not be able to restore role assignments in step 3.',
  'snapshot.save': 'Save snapshot',
  'snapshot.retry': 'Try saving again',
  'snapshot.reveal': 'Reveal',
  'snapshot.continueWithout': 'Continue without snapshot',

  'change.mode.portal': 'The change is made in the Azure portal; we show the steps and watch for the result.',
  'change.mode.api': 'The change is made with the preview API.',
  'change.mode.usePortal': 'Use the Azure portal instead',
  'change.mode.useApi': 'Use the preview API instead',
  'change.portalSteps': 'In the Azure portal',
  'change.primary.many': 'Change directory — {0} role assignments will be deleted',
  'change.primary.one': 'Change directory — 1 role assignment will be deleted',
  'change.primary.none': 'Change directory — no role assignments will be deleted',
  'change.block.snapshotMissing': 'Save a snapshot first, or choose “Continue without snapshot”.',
  'change.block.checksFailing': 'Fix the blocked checks first.',
  'change.block.checksRunning': 'Waiting for the pre-flight checks.',
  'change.block.impactLoading': 'Waiting for the list of role assignments.',
  'change.inProgress': 'Changing the directory…',
  'change.failed': 'The directory change failed.',
  'change.cancelled': 'Stopped watching. The directory change may still complete.',
  'change.openPortal': 'Open the Azure portal',
  'tracking.waiting.one': 'Waiting for {0} to show the subscription — checked {1} time.',
  'tracking.waiting.other': 'Waiting for {0} to show the subscription — checked {1} times.',
  'tracking.next': 'Next check in {0} s.',
  'tracking.closeHint': 'You can close this panel; we keep watching.',
  'tracking.seen': '{0} shows the subscription. The directory change is complete.',
  'tracking.timedOut': '{0} does not show the subscription yet. Check the portal, then check again.',
  'tracking.cancel': 'Cancel',
  'tracking.recheck': 'Check now',

  'admins.title': 'Add administrators in {0}',
  'admins.role': 'Role',
  'admins.search': 'Search people in {0}',
  'admins.searching': 'Searching…',
  'admins.noResults': 'No one found.',
  'admins.lookupHint': 'You may not search {0}. Enter an exact user principal name or object id.',
  'admins.lookup': 'Find',
  'admins.lookupLabel': 'User principal name or object id',
  'admins.selected': 'Selected',
  'admins.noneSelected': 'No one selected.',
  'admins.remove': 'Remove {0}',
  'admins.restore': 'Restore from snapshot',
  'admins.restoreSummary': '{0} matched · {1} ambiguous · {2} unmatched',
  'admins.col.old': 'Old principal',
  'admins.col.role': 'Role',
  'admins.col.new': 'New principal',
  'admins.col.status': 'Status',
  'admins.skip': 'Skip',
  'admins.choose': 'Choose…',
  'admins.newFor': 'New principal for {0}',
  'admins.match.matched': 'match',
  'admins.match.ambiguous': 'pick one',
  'admins.match.unmatched': 'no match',
  'admins.pick.open': 'Choose someone…',
  'admins.pick.search': 'Name, user principal name or object id',
  'admins.pick.exact': 'User principal name or object id',
  'admins.result.created': 'created',
  'admins.result.exists': 'already there',
  'admins.result.failed': 'failed',
  'admins.primary.many': 'Create {0} role assignments',
  'admins.primary.one': 'Create 1 role assignment',
  'admins.primary.none': 'Create role assignments',
  'admins.creating': 'Creating role assignments…',
  'admins.retry': 'Retry failed',
  'admins.finish': 'Finish',

  'done.title': 'Done',
  'done.summary.one': '{0} role assignment deleted · {1} created · {2} failed',
  'done.summary.other': '{0} role assignments deleted · {1} created · {2} failed',
  'done.link.subscriptionInPortal': 'Open the subscription in the portal',
  'done.link.targetDirectoryInPortal': 'Open the directory in the portal',
  'done.link.accessControlInPortal': 'Open Access control (IAM)',
  'done.export': 'Export report',
  'done.exported': 'Report saved to {0}',

  'principal.User': 'User',
  'principal.Group': 'Group',
  'principal.ServicePrincipal': 'Service principal',
  'principal.ForeignGroup': 'Foreign group',
  'principal.Device': 'Device',
  'principal.Unknown': 'Unknown',
} as const;

export type StringKey = keyof typeof EN;
/** Keys that come as a `.one` / `.other` pair (English and Swedish both have one singular and one plural form). */
export type PluralKey = { [K in StringKey]: K extends `${infer B}.one` ? (`${B}.other` extends StringKey ? B : never) : never }[StringKey];

/** The classic administrator roles the UI names (`classicRole.<id>`). */
export const CLASSIC_ROLES = ['AccountAdministrator', 'ServiceAdministrator', 'CoAdministrator'] as const;
const isClassicRole = (v: string): v is (typeof CLASSIC_ROLES)[number] => (CLASSIC_ROLES as readonly string[]).includes(v);

let current: Partial<Record<string, string>> = {};

/** Installs the host's translations; only string values for known keys are used. */
export function setL10n(map: Record<string, string>): void {
  const next: Partial<Record<string, string>> = {};
  for (const key of Object.keys(EN)) {
    const value = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
    if (typeof value === 'string') next[key] = value;
  }
  current = next;
}

/** The translated string for `key`, with `{n}` replaced by `args[n]` (as plain text). */
export function t(key: StringKey, ...args: (string | number)[]): string {
  const template = current[key] ?? EN[key];
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const arg = args.at(Number(i));
    return arg === undefined ? m : String(arg);
  });
}

/** `t` of `key.one` when `count` is 1, else of `key.other`; `args` fill the placeholders (the count among them). */
export function tn(key: PluralKey, count: number, ...args: (string | number)[]): string {
  return t(count === 1 ? `${key}.one` : `${key}.other`, ...args);
}

/** A classic administrator's role as people read it: "ServiceAdministrator;AccountAdministrator" → two names. */
export function classicRoleNames(role: string): string {
  return role
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map((r) => (isClassicRole(r) ? t(`classicRole.${r}`) : r))
    .join(', ');
}
