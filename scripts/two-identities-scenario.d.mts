export function deriveTwoIdentities(defaultScenario: unknown): unknown;
