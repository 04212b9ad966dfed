// A small structural validator: checks a parsed JSON value against a shape and reports the first
// field that does not fit, by its path ("probes[3].exec.exitCode: expected a number or null").

export type Check = (v: unknown, path: string) => string | null;

const fail = (path: string, want: string, v: unknown): string => `${path || 'the document'}: expected ${want}, found ${describe(v)}`;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? v.slice(0, 30) + '...' : v);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a JSON scalar is left (number, boolean); TS does not narrow unknown by elimination
  return String(v);
}

export const str: Check = (v, p) => (typeof v === 'string' ? null : fail(p, 'a string', v));
export const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? null : fail(p, 'a number', v));
export const bool: Check = (v, p) => (typeof v === 'boolean' ? null : fail(p, 'true or false', v));
export const any: Check = () => null;

export const oneOf =
  (...values: unknown[]): Check =>
  (v, p) =>
    values.includes(v) ? null : fail(p, values.map((x) => JSON.stringify(x)).join(' or '), v);

/** Undefined is fine; otherwise the inner check. */
export const opt =
  (c: Check): Check =>
  (v, p) =>
    v === undefined ? null : c(v, p);

/** Null or undefined is fine; otherwise the inner check. */
export const nullable =
  (c: Check): Check =>
  (v, p) =>
    v === undefined || v === null ? null : c(v, p);

export const either =
  (a: Check, b: Check, want: string): Check =>
  (v, p) =>
    a(v, p) === null || b(v, p) === null ? null : fail(p, want, v);

export const arr =
  (c: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return fail(p, 'an array', v);
    for (let i = 0; i < v.length; i++) {
      const e = c(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return null;
  };

/** An object with these fields (others are allowed and ignored). */
export const obj =
  (fields: Record<string, Check>): Check =>
  (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, 'an object', v);
    for (const [k, c] of Object.entries(fields)) {
      const e = c((v as Record<string, unknown>)[k], p ? `${p}.${k}` : k);
      if (e) return e;
    }
    return null;
  };

/** A map from string keys to values of one shape. */
export const rec =
  (c: Check): Check =>
  (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, 'an object', v);
    for (const [k, x] of Object.entries(v)) {
      const e = c(x, `${p}.${k}`);
      if (e) return e;
    }
    return null;
  };

/** Recursion helper for shapes defined later. */
export const lazy =
  (f: () => Check): Check =>
  (v, p) =>
    f()(v, p);
