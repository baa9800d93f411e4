/** Generated scenarios (see bench-scenarios.mjs): plain JSON in the sandbox's scenario format. */
export interface FleetOptions {
  directories: number;
  perDirectory: number;
  extraPerSubscription?: number;
  users?: number;
  vaults?: boolean;
  name?: string;
}
export const ADMIN: string;
export function tenantId(i: number): string;
export function subId(t: number, s: number): string;
export function userId(t: number, u: number): string;
export function fleetScenario(options: FleetOptions): unknown;
export function fleetTarget(directories: number): string;
export function listingScenario(): unknown;
export function bigScenario(): unknown;
export function allInScenario(): unknown;
export function enterpriseScenario(): unknown;
