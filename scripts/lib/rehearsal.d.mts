export const REHEARSAL_SNAPSHOTS: string;
export function rehearsalSettings(): Record<string, unknown>;
