/**
 * Is a directory an Office 365 / Microsoft 365 organisation? Three signals, from two Graph reads:
 * - `GET /subscribedSkus` (https://learn.microsoft.com/graph/api/subscribedsku-list): a live SKU with an Exchange,
 *   SharePoint or Teams service plan, or a live SKU that is itself a well-known Office 365 / Microsoft 365 product
 *   (by `skuId` or `skuPartNumber`: the docs' own example is `ENTERPRISEPREMIUM` listing only `ADALLOM_S_O365`);
 * - `GET /organization` `assignedPlans` (https://learn.microsoft.com/graph/api/resources/assignedplan): an `Enabled`
 *   plan for `exchange`, `SharePoint`, `MicrosoftCommunicationsOnline`…
 * The first signal that says yes decides, and the verdict names it. "No" needs at least one source read; unknown
 * (`null`) only when neither could be read (missing permission) — unknown is never a guessed no.
 */
import { isAzureError } from '../azure/errors';
import type { AssignedPlan, Organization, SubscribedSku } from '../azure/models';
import type { Localize } from './l10n';

/** The Graph read a verdict came from. */
export const OFFICE365_SOURCES = ['subscribedSkus', 'organization'] as const;
export type Office365Source = (typeof OFFICE365_SOURCES)[number];

/** Why the verdict is what it is; worded by `office365Reason`. */
export type Office365Basis =
  | { readonly kind: 'licence'; readonly sku: string; readonly plan: string | undefined }
  | { readonly kind: 'knownSku'; readonly sku: string; readonly product: string }
  | { readonly kind: 'assignedPlan'; readonly service: string }
  | { readonly kind: 'noActivePlan' }
  | { readonly kind: 'noLicences' }
  | { readonly kind: 'needsPermission' };

export interface Office365Verdict {
  readonly office365: boolean | null;
  /** Why: the matching plan, what is missing, or that Graph would not tell. */
  readonly basis: Office365Basis;
  /** Which read decided a yes; every read that was made for a no; none for unknown. */
  readonly sources: readonly Office365Source[];
}

/** The reason in words, e.g. "ENTERPRISEPACK includes EXCHANGE_S_ENTERPRISE" or "Unknown — needs Organization.Read.All". */
export function office365Reason(basis: Office365Basis, l10n: Localize): string {
  switch (basis.kind) {
    case 'licence': return basis.plan === undefined ? l10n.t('{0} includes an Office 365 plan', basis.sku) : l10n.t('{0} includes {1}', basis.sku, basis.plan);
    case 'knownSku': return l10n.t('licence {0} ({1})', basis.sku, basis.product);
    case 'assignedPlan': return l10n.t('Assigned plan: {0}', basis.service);
    case 'noActivePlan': return l10n.t('No active Exchange, SharePoint or Teams plan');
    case 'noLicences': return l10n.t('No Microsoft 365 licences');
    case 'needsPermission': return l10n.t('Unknown — needs Organization.Read.All');
  }
}

const LIVE = new Set(['Enabled', 'Warning']);
const M365_PLAN = /^(EXCHANGE_S_|SHAREPOINT|TEAMS1$|MCOSTANDARD)/;
const M365_SERVICES = new Set(['exchange', 'sharepoint', 'microsoftcommunicationsonline', 'teamspaceapi', 'microsoftoffice']);

/**
 * Well-known Office 365 / Microsoft 365 products (part number, SKU id, product name) from "Product names and service
 * plan identifiers for licensing" (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference).
 */
const KNOWN_SKUS = [
  ['STANDARDPACK', '18181a46-0d4e-45cd-891e-60aabd171b4e', 'Office 365 E1'],
  ['ENTERPRISEPACK', '6fd2c87f-b296-42f0-b197-1e91e994b900', 'Office 365 E3'],
  ['ENTERPRISEPREMIUM', 'c7df2760-2c81-4ef7-b578-5b5392b571df', 'Office 365 E5'],
  ['SPE_E3', '05e9a617-0261-4cee-bb44-138d3ef5d965', 'Microsoft 365 E3'],
  ['SPE_E5', '06ebc4ee-1bb5-47dd-8120-11324bc54e06', 'Microsoft 365 E5'],
  ['DEVELOPERPACK_E5', 'c42b9cae-ea4f-4ab7-9717-81576235ccac', 'Microsoft 365 E5 Developer'],
  ['O365_BUSINESS_ESSENTIALS', '3b555118-da6a-4418-894f-7df1e2096870', 'Microsoft 365 Business Basic'],
  ['O365_BUSINESS_PREMIUM', 'f245ecc8-75af-4f8e-b61f-27d8114de5b3', 'Microsoft 365 Business Standard'],
  ['SPB', 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', 'Microsoft 365 Business Premium'],
] as const;

function knownSku(sku: SubscribedSku): string | undefined {
  const part = (sku.skuPartNumber ?? '').toUpperCase();
  const id = sku.skuId.toLowerCase();
  return KNOWN_SKUS.find(([p, i]) => p === part || i === id)?.[2];
}

const yes = (basis: Office365Basis, source: Office365Source): Office365Verdict => ({ office365: true, basis, sources: [source] });

/** The subscribedSkus signals: a live SKU with an Office service plan, then a live well-known SKU. */
export function office365FromSkus(skus: readonly SubscribedSku[]): Office365Verdict {
  const live = skus.filter((s) => LIVE.has(s.capabilityStatus ?? ''));
  for (const sku of live) {
    const plan = sku.servicePlans?.find((p) => M365_PLAN.test(p.servicePlanName ?? '') && p.provisioningStatus !== 'Disabled');
    if (plan) return yes({ kind: 'licence', sku: sku.skuPartNumber ?? sku.skuId, plan: plan.servicePlanName }, 'subscribedSkus');
  }
  for (const sku of live) {
    const product = knownSku(sku);
    if (product !== undefined) return yes({ kind: 'knownSku', sku: sku.skuPartNumber ?? sku.skuId, product }, 'subscribedSkus');
  }
  return { office365: false, basis: { kind: skus.length ? 'noActivePlan' : 'noLicences' }, sources: ['subscribedSkus'] };
}

/** The organization's `assignedPlans`; `null` when they are not readable (User.Read alone returns them as null). */
export function office365FromOrganization(org: Organization | undefined): Office365Verdict {
  const plans: readonly AssignedPlan[] | null | undefined = org?.assignedPlans;
  if (!plans) return { office365: null, basis: { kind: 'needsPermission' }, sources: [] };
  const plan = plans.find((p) => p.capabilityStatus === 'Enabled' && M365_SERVICES.has((p.service ?? '').toLowerCase()));
  if (plan) return yes({ kind: 'assignedPlan', service: plan.service ?? '' }, 'organization');
  return { office365: false, basis: { kind: 'noActivePlan' }, sources: ['organization'] };
}

export interface Office365Sources {
  readonly subscribedSkus: () => Promise<readonly SubscribedSku[]>;
  readonly organization: () => Promise<Organization | undefined>;
}

/** A missing permission or sign-in: the source cannot be read, which is not an error of the whole verdict. */
const isPermission = (e: unknown): boolean => isAzureError(e, 'forbidden') || isAzureError(e, 'notSignedIn');

type Read = { readonly verdict: Office365Verdict } | { readonly error: unknown };

async function read(run: () => Promise<Office365Verdict>): Promise<Read> {
  try {
    return { verdict: await run() };
  } catch (e) {
    if (isAzureError(e, 'cancelled')) throw e;
    return { error: e };
  }
}

/**
 * Reads subscribedSkus, and `/organization` unless the SKUs already said yes; combines them. A source that fails for
 * another reason than a permission fails the verdict unless the other source says yes.
 */
export async function detectOffice365(sources: Office365Sources): Promise<Office365Verdict> {
  const skus = await read(async () => office365FromSkus(await sources.subscribedSkus()));
  if ('verdict' in skus && skus.verdict.office365 === true) return skus.verdict;
  const org = await read(async () => office365FromOrganization(await sources.organization()));
  if ('verdict' in org && org.verdict.office365 === true) return org.verdict;
  const failed = [skus, org].find((r): r is { readonly error: unknown } => 'error' in r && !isPermission(r.error));
  if (failed) throw failed.error;
  const noes = [skus, org].flatMap((r) => ('verdict' in r && r.verdict.office365 === false ? [r.verdict] : []));
  const first = noes[0];
  if (first === undefined) return { office365: null, basis: { kind: 'needsPermission' }, sources: [] };
  return { office365: false, basis: first.basis, sources: noes.flatMap((v) => v.sources) };
}
