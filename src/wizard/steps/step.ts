/** One wizard step: when it may open, when it is done, what entering it does, the events it owns, its UI slice. */
import type { Localize } from '../../core/l10n';
import type { StepId } from '../../ids';
import type { WizardContext, WizardWorld } from '../context';
import type { Update, WizardEvent } from '../events';

export type StepUpdate = Update<WizardContext>;

export interface Step<Slice> {
  readonly id: StepId;
  canOpen(ctx: WizardContext, world: WizardWorld): boolean;
  isDone(ctx: WizardContext, world: WizardWorld): boolean;
  /** Entering the step (it is already the active one). */
  enter(ctx: WizardContext, world: WizardWorld): StepUpdate;
  /** The events this step owns; undefined when the event is not its own. */
  handle(ctx: WizardContext, event: WizardEvent, world: WizardWorld): StepUpdate | undefined;
  /** Its slice of the UI state. */
  project(ctx: WizardContext, world: WizardWorld, l10n: Localize): Slice;
}

export const stay = (ctx: WizardContext): StepUpdate => ({ ctx, effects: [] });
