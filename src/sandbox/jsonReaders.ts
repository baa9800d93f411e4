// Small typed readers for untrusted scenario JSON. Each throws a ScenarioError that names the JSON path.
import { isGuid } from './scope';

/** A JSON value as a scenario carries it (resource properties, SKUs). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = Record<string, JsonValue>;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export type Raw = Record<string, unknown>;

export function fail(path: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got).slice(0, 60);
  throw new ScenarioError(`Invalid scenario: ${path} must be ${expected}, got ${shown}`);
}

export function asObject(value: unknown, path: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Raw;
}

export function str(o: Raw, key: string, path: string, fallback?: string): string {
  const v = o[key] ?? fallback;
  if (typeof v !== 'string' || v === '') fail(`${path}.${key}`, 'a non-empty string', v);
  return v;
}

export function nullableStr(o: Raw, key: string, path: string): string | null {
  const v = o[key] ?? null;
  if (v !== null && typeof v !== 'string') fail(`${path}.${key}`, 'a string or null', v);
  return v;
}

export function guid(o: Raw, key: string, path: string): string {
  const v = str(o, key, path);
  if (!isGuid(v)) fail(`${path}.${key}`, 'a GUID', v);
  return v.toLowerCase();
}

export function bool(o: Raw, key: string, path: string, fallback: boolean): boolean {
  const v = o[key] ?? fallback;
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'a boolean', v);
  return v;
}

export function count(o: Raw, key: string, path: string, fallback: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${path}.${key}`, 'a non-negative integer', v);
  return v;
}

export function oneOf<T extends string>(o: Raw, key: string, path: string, allowed: readonly T[], fallback?: T): T {
  const v = o[key] ?? fallback;
  if (!allowed.includes(v as T)) fail(`${path}.${key}`, `one of ${allowed.join(', ')}`, v);
  return v as T;
}

export function list<T>(o: Raw, key: string, path: string, item: (value: unknown, path: string) => T): T[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'an array', v);
  return v.map((x, i) => item(x, `${path}.${key}[${i}]`));
}

export const strings = (o: Raw, key: string, path: string): string[] =>
  list(o, key, path, (v, p) => (typeof v === 'string' ? v : fail(p, 'a string', v)));

export const jsonObject = (v: unknown, p: string): JsonObject => asObject(v, p) as JsonObject;

export function stringMap(o: Raw, key: string, path: string): Record<string, string> {
  const v = asObject(o[key] ?? {}, `${path}.${key}`);
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') fail(`${path}.${key}.${k}`, 'a string', x);
  return v as Record<string, string>;
}

