/**
 * The directory row's summary: how many subscriptions it is home to and how many role assignments sit under them,
 * counted through Azure Resource Graph (core/fleet.ts). When Resource Graph cannot be read there, the row shows the
 * subscriptions only and the tooltip says why — no error item, no pop-up.
 */
import * as vscode from 'vscode';
import type { DirectoryCounts } from '../core/fleet';

/** "4 subscriptions · 61 role assignments" (the role assignments only when Resource Graph answered); nothing for none. */
export function countsDescription(c: DirectoryCounts): string {
  if (c.subscriptions === 0) return '';
  const subs = c.subscriptions === 1 ? vscode.l10n.t('1 subscription') : vscode.l10n.t('{0} subscriptions', c.subscriptions);
  if (c.roleAssignments === null) return subs;
  return `${subs} · ${c.roleAssignments === 1 ? vscode.l10n.t('1 role assignment') : vscode.l10n.t('{0} role assignments', c.roleAssignments)}`;
}

/** The tooltip's line about it. */
export function countsTooltip(c: DirectoryCounts): string {
  if (c.subscriptions === 0) return '';
  return c.roleAssignments === null
    ? vscode.l10n.t('Role assignments: not counted (Azure Resource Graph could not be read here: {0})', c.unavailable ?? '')
    : vscode.l10n.t('{0}, counted through Azure Resource Graph (it can lag a few minutes behind Azure).', countsDescription(c));
}
