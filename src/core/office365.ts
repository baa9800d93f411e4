/**
 * Is a directory an Office 365 / Microsoft 365 organisation? (docs/azure-api.md §6.2 heuristic.)
 * Unknown is not no: when Graph will not tell us (missing permission), the answer is `null` with the reason.
 */
import type { AssignedPlan, Organization, SubscribedSku } from '../azure/models';

export interface Office365Verdict {
  readonly office365: boolean | null;
  /** Why: the matching plan, or what could not be read. */
  readonly reason: string;
}

const LIVE = new Set(['Enabled', 'Warning']);
const M365_PLAN = /^(EXCHANGE_S_|SHAREPOINT|TEAMS1$|MCOSTANDARD)/;
const M365_SERVICES = new Set(['exchange', 'sharepoint', 'microsoftcommunicationsonline', 'teamspaceapi', 'microsoftoffice']);

export function office365FromSkus(skus: readonly SubscribedSku[]): Office365Verdict {
  for (const sku of skus) {
    if (!LIVE.has(sku.capabilityStatus ?? '')) continue;
    const plan = sku.servicePlans?.find((p) => M365_PLAN.test(p.servicePlanName ?? '') && p.provisioningStatus !== 'Disabled');
    if (plan) return { office365: true, reason: `${sku.skuPartNumber ?? sku.skuId} includes ${plan.servicePlanName ?? 'an Office 365 plan'}` };
  }
  return { office365: false, reason: skus.length ? 'No active Exchange, SharePoint or Teams plan' : 'No Microsoft 365 licences' };
}

export function office365FromOrganization(org: Organization | undefined): Office365Verdict {
  const plans: readonly AssignedPlan[] | null | undefined = org?.assignedPlans;
  if (!plans) return { office365: null, reason: 'Unknown — needs Organization.Read.All' };
  const plan = plans.find((p) => p.capabilityStatus === 'Enabled' && M365_SERVICES.has((p.service ?? '').toLowerCase()));
  if (plan) return { office365: true, reason: `Assigned plan: ${plan.service ?? ''}` };
  return { office365: false, reason: 'No active Exchange, SharePoint or Teams plan' };
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
    return { office365: null, reason: 'Unknown — needs Organization.Read.All' };
  }
}
