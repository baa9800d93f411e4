/**
 * The link wizard's controller: holds the wizard state in the extension host, renders it into the panel, and turns
 * the UI's intents into work. This first version covers step 0 (choose the subscription and the target directory);
 * the later steps build on it.
 */
import * as vscode from 'vscode';
import type { DirectoryNode, SubscriptionNode } from '../views/nodes';
import { offerName } from '../views/nodes';
import { WizardWebview, buildL10n, type WebviewLogger, type WizardIntent } from './panelHost';
import type { DirectoryOption, StepId, SubscriptionOption, WizardState } from './protocol';

export const WIZARD_VIEW_TYPE = 'azureTenantLink.wizard';

export interface WizardSources {
  /** Subscriptions the user can choose (from the Directories tree). */
  subscriptions(): readonly SubscriptionNode[];
  /** Directories reachable by the account that owns `subscription`. */
  directories(subscription: SubscriptionNode): readonly DirectoryNode[];
  signInToDirectory(node: DirectoryNode): Promise<void>;
  revealInTree(node: SubscriptionNode | DirectoryNode): Promise<void>;
}

export class WizardController extends WizardWebview {
  private selectedSubscription: SubscriptionNode;
  private selectedTenantId: string | null = null;
  private typedTargetError: string | null = null;

  constructor(
    extensionUri: vscode.Uri,
    logger: WebviewLogger,
    private readonly sources: WizardSources,
    subscription: SubscriptionNode,
    initialTargetTenantId?: string,
  ) {
    super({
      viewType: WIZARD_VIEW_TYPE,
      title: vscode.l10n.t('Link {0}', subscription.subscription.displayName),
      extensionUri,
      logger,
      l10n: buildL10n((m, ...args) => vscode.l10n.t(m, ...args)),
    });
    this.selectedSubscription = subscription;
    if (initialTargetTenantId && initialTargetTenantId !== subscription.parent.directory.tenantId) this.selectedTenantId = initialTargetTenantId;
  }

  get subscriptionId(): string {
    return this.selectedSubscription.subscription.subscriptionId;
  }

  protected getState(): WizardState {
    const sub = this.selectedSubscription;
    const directories = this.directoryOptions();
    const target = directories.find((d) => d.tenantId === this.selectedTenantId) ?? null;
    const source = { tenantId: sub.parent.directory.tenantId, name: sub.parent.directory.displayName ?? sub.parent.directory.tenantId, domain: sub.parent.directory.defaultDomain };
    const steps: StepId[] = ['choose', 'visible', 'change', 'admins', 'done'];
    return {
      header: {
        subscription: { id: sub.subscription.subscriptionId, name: sub.subscription.displayName, offer: offerName(sub.subscription.subscriptionPolicies?.quotaId), source },
        target: target ? { tenantId: target.tenantId, name: target.name, domain: target.domain, office365: target.office365 } : null,
      },
      steps: steps.map((id) => ({ id, status: id === 'choose' ? 'current' : 'todo' })),
      activeStep: 'choose',
      choose: {
        subscriptions: this.sources.subscriptions().map(subscriptionOption),
        directories,
        selectedSubscriptionId: sub.subscription.subscriptionId,
        selectedTenantId: this.selectedTenantId,
        typedTargetError: this.typedTargetError,
      },
      visible: null,
      change: null,
      admins: null,
      done: null,
      busy: null,
      error: null,
    };
  }

  private directoryOptions(): DirectoryOption[] {
    const sourceId = this.selectedSubscription.parent.directory.tenantId;
    return this.sources
      .directories(this.selectedSubscription)
      .map((d) => ({
        tenantId: d.directory.tenantId,
        name: d.directory.displayName ?? d.directory.tenantId,
        domain: d.directory.defaultDomain,
        office365: d.directory.office365,
        signedIn: d.directory.signedIn,
        isSource: d.directory.tenantId === sourceId,
      }))
      .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }

  protected async onMessage(msg: WizardIntent): Promise<void> {
    switch (msg.type) {
      case 'chooseSubscription': {
        const next = this.sources.subscriptions().find((s) => s.subscription.subscriptionId === msg.subscriptionId);
        if (next) this.selectedSubscription = next;
        break;
      }
      case 'chooseTarget':
        if (this.directoryOptions().some((d) => d.tenantId === msg.tenantId && !d.isSource)) {
          this.selectedTenantId = msg.tenantId;
          this.typedTargetError = null;
        }
        break;
      case 'typedTarget': {
        const value = msg.value.trim().toLowerCase();
        const match = this.sources.directories(this.selectedSubscription).find((d) => d.directory.tenantId === value || d.directory.defaultDomain?.toLowerCase() === value || d.directory.domains.some((x) => x.toLowerCase() === value));
        if (match) {
          this.selectedTenantId = match.directory.tenantId;
          this.typedTargetError = null;
        } else {
          this.typedTargetError = vscode.l10n.t('{0} is not among the directories your account can reach. Sign in with an account of that directory, or ask its administrator for a guest invitation.', msg.value);
        }
        break;
      }
      case 'signInToDirectory': {
        const node = this.sources.directories(this.selectedSubscription).find((d) => d.directory.tenantId === msg.tenantId);
        if (node) await this.sources.signInToDirectory(node);
        break;
      }
      case 'revealInTree': {
        const node = msg.what === 'subscription' ? this.selectedSubscription : this.sources.directories(this.selectedSubscription).find((d) => d.directory.tenantId === (msg.what === 'source' ? this.selectedSubscription.parent.directory.tenantId : this.selectedTenantId));
        if (node) await this.sources.revealInTree(node);
        return;
      }
      case 'openStep':
      case 'recheck':
      case 'copyRequestText':
      case 'saveSnapshot':
      case 'continueWithoutSnapshot':
      case 'revealSnapshot':
      case 'setChangeMode':
      case 'changeDirectory':
      case 'openPortal':
      case 'cancelTracking':
      case 'searchUsers':
      case 'lookupUser':
      case 'setSelectedUsers':
      case 'setRole':
      case 'chooseRestorePrincipal':
      case 'createAssignments':
      case 'retryFailed':
      case 'openLink':
      case 'exportReport':
        this.options.logger.warn(`Wizard intent ${msg.type} is not available in this step.`);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
    await this.postState();
  }
}

function rank(d: DirectoryOption): number {
  if (d.isSource) return 3;
  return d.office365 === true ? 0 : d.office365 === null ? 1 : 2;
}

function subscriptionOption(n: SubscriptionNode): SubscriptionOption {
  return {
    id: n.subscription.subscriptionId,
    name: n.subscription.displayName,
    offer: offerName(n.subscription.subscriptionPolicies?.quotaId),
    state: n.subscription.state,
    source: { tenantId: n.parent.directory.tenantId, name: n.parent.directory.displayName ?? n.parent.directory.tenantId, domain: n.parent.directory.defaultDomain },
  };
}
