/** Small structural checks for JSON from the services: enough to fail loudly on a malformed body. */

export type Guard<T> = (v: unknown) => v is T;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object whose listed keys are strings. */
export function hasStrings<T>(...keys: string[]): Guard<T> {
  return (v: unknown): v is T => isRecord(v) && keys.every((k) => typeof v[k] === 'string');
}

/** An object with `properties` whose listed keys are strings. */
export function hasProperties<T>(...keys: string[]): Guard<T> {
  return (v: unknown): v is T => isRecord(v) && typeof v.id === 'string' && isRecord(v.properties) && keys.every((k) => typeof (v.properties as Record<string, unknown>)[k] === 'string');
}

export interface Page<T> {
  readonly value: T[];
  readonly nextLink?: string | null;
  readonly '@odata.nextLink'?: string | null;
}

export function isPage<T>(item: Guard<T>): Guard<Page<T>> {
  return (v: unknown): v is Page<T> => {
    if (!isRecord(v) || !Array.isArray(v.value)) return false;
    const next = v.nextLink ?? v['@odata.nextLink'];
    return (next === undefined || next === null || typeof next === 'string') && v.value.every(item);
  };
}

export const anyObject: Guard<Record<string, unknown>> = isRecord;
