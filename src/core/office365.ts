/**
 * Is a directory an Office 365 / Microsoft 365 organisation? (A heuristic on https://learn.microsoft.com/graph/api/subscribedsku-list service plans.)
 * Unknown is not no: when Graph will not tell us (missing permission), the answer is `null` with the reason.
 */
import type { AssignedPlan, Organization, SubscribedSku } from '../azure/models';
import type { Localize } from './l10n';

/** Why the verdict is what it is; worded by `office365Reason`. */
export type Office365Basis =
  | { readonly kind: 'licence'; readonly sku: string; readonly plan: string | undefined }
  | { readonly kind: 'assignedPlan'; readonly service: string }
  | { readonly kind: 'noActivePlan' }
  | { readonly kind: 'noLicences' }
  | { readonly kind: 'needsPermission' };

export interface Office365Verdict {
  readonly office365: boolean | null;
  /** Why: the matching plan, what is missing, or that Graph would not tell. */
  readonly basis: Office365Basis;
}

/** The reason in words, e.g. "ENTERPRISEPACK includes EXCHANGE_S_ENTERPRISE" or "Unknown — needs Organization.Read.All". */
export function office365Reason(basis: Office365Basis, l10n: Localize): string {
  switch (basis.kind) {
    case 'licence': return basis.plan === undefined ? l10n.t('{0} includes an Office 365 plan', basis.sku) : l10n.t('{0} includes {1}', basis.sku, basis.plan);
    case 'assignedPlan': return l10n.t('Assigned plan: {0}', basis.service);
    case 'noActivePlan': return l10n.t('No active Exchange, SharePoint or Teams plan');
    case 'noLicences': return l10n.t('No Microsoft 365 licences');
    case 'needsPermission': return l10n.t('Unknown — needs Organization.Read.All');
  }
}

const LIVE = new Set(['Enabled', 'Warning']);
const M365_PLAN = /^(EXCHANGE_S_|SHAREPOINT|TEAMS1$|MCOSTANDARD)/;
const M365_SERVICES = new Set(['exchange', 'sharepoint', 'microsoftcommunicationsonline', 'teamspaceapi', 'microsoftoffice']);

export function office365FromSkus(skus: readonly SubscribedSku[]): Office365Verdict {
  for (const sku of skus) {
    if (!LIVE.has(sku.capabilityStatus ?? '')) continue;
    const plan = sku.servicePlans?.find((p) => M365_PLAN.test(p.servicePlanName ?? '') && p.provisioningStatus !== 'Disabled');
    if (plan) return { office365: true, basis: { kind: 'licence', sku: sku.skuPartNumber ?? sku.skuId, plan: plan.servicePlanName } };
  }
  return { office365: false, basis: { kind: skus.length ? 'noActivePlan' : 'noLicences' } };
}

export function office365FromOrganization(org: Organization | undefined): Office365Verdict {
  const plans: readonly AssignedPlan[] | null | undefined = org?.assignedPlans;
  if (!plans) return { office365: null, basis: { kind: 'needsPermission' } };
  const plan = plans.find((p) => p.capabilityStatus === 'Enabled' && M365_SERVICES.has((p.service ?? '').toLowerCase()));
  if (plan) return { office365: true, basis: { kind: 'assignedPlan', service: plan.service ?? '' } };
  return { office365: false, basis: { kind: 'noActivePlan' } };
}

export interface Office365Sources {
  readonly subscribedSkus: () => Promise<readonly SubscribedSku[]>;
  readonly organization: () => Promise<Organization | undefined>;
}

/** Tries subscribedSkus, then organization.assignedPlans; a permission or sign-in failure gives `null`. */
export async function detectOffice365(sources: Office365Sources, isPermissionError: (e: unknown) => boolean): Promise<Office365Verdict> {
  try {
    return office365FromSkus(await sources.subscribedSkus());
  } catch (e) {
    if (!isPermissionError(e)) throw e;
  }
  try {
    return office365FromOrganization(await sources.organization());
  } catch (e) {
    if (!isPermissionError(e)) throw e;
    return { office365: null, basis: { kind: 'needsPermission' } };
  }
}
