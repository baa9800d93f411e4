export const ADATUM: string;
export const ADATUM_OPERATIONS: string;
export const NORTHWIND_ANALYTICS: string;
export function deriveDelegated(defaultScenario: unknown): unknown;
