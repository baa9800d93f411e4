// A tiny guard toolkit for the wizard protocol's validators (validate.ts): strict — own plain-object properties only,
// no extra keys, bounded strings and arrays.
import { isGuid } from '../ids';

// --- A tiny guard toolkit (strict: own plain-object properties only, no extra keys, bounded strings/arrays) -----

export type Guard<T> = (v: unknown) => v is T;
export type Shape<T> = { [K in keyof T]-?: Guard<T[K]> };

/** Longest error text accepted from the webview is 8× this; queries and typed values are shorter still. */
export const MAX_INBOUND_TEXT = 512;
const MAX_OUT_TEXT = 8192;
const MAX_OUT_ITEMS = 100_000;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
export function has(o: Record<string, unknown>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}
export function obj<T>(shape: Shape<T>): Guard<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  const allowed = new Set<string>(keys);
  return (v: unknown): v is T => {
    if (!isPlainObject(v)) return false;
    for (const k of Object.keys(v)) if (!allowed.has(k)) return false;
    for (const k of keys) {
      const value = has(v, k) ? v[k] : undefined;
      if (!shape[k](value)) return false;
    }
    return true;
  };
}
export function text(max: number, min = 0): Guard<string> {
  // No control characters other than tab/newline.
  // eslint-disable-next-line no-control-regex
  const ctrl = /[\u0000-\u0008\u000b-\u001f\u007f]/;
  return (v: unknown): v is string => typeof v === 'string' && v.length >= min && v.length <= max && !ctrl.test(v);
}
export const str = text(MAX_OUT_TEXT);
/** What a person types (a domain, a search, a UPN or object id): no C1 controls and no bidi controls either. */
export function typed(max: number, min = 0): Guard<string> {
  const plain = text(max, min);
  const hidden = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  return (v: unknown): v is string => plain(v) && !hidden.test(v);
}
export const guid: Guard<string> = (v): v is string => isGuid(v);
export function oneOf<const T extends readonly (string | number | boolean | null)[]>(values: T): Guard<T[number]> {
  return (v: unknown): v is T[number] => (values as readonly unknown[]).includes(v);
}
export function list<T>(item: Guard<T>, max = MAX_OUT_ITEMS): Guard<T[]> {
  return (v: unknown): v is T[] => Array.isArray(v) && v.length <= max && v.every((x) => item(x));
}
export function opt<T>(g: Guard<T>): Guard<T | undefined> {
  return (v: unknown): v is T | undefined => v === undefined || g(v);
}
export function nullable<T>(g: Guard<T>): Guard<T | null> {
  return (v: unknown): v is T | null => v === null || g(v);
}
export function union<A, B>(a: Guard<A>, b: Guard<B>): Guard<A | B> {
  return (v: unknown): v is A | B => a(v) || b(v);
}
export const bool: Guard<boolean> = (v): v is boolean => typeof v === 'boolean';
export const count: Guard<number> = (v): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
export const epochMs: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
export const lit = <const T extends string>(value: T): Guard<T> => (v): v is T => v === value;

