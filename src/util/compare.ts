// Orders that equal String.prototype.localeCompare's without paying for it (issue 11): the first
// localeCompare of a process builds ICU's collator, 10-20 ms of CPU on the lab machine, for strings
// that in a healthy run are Kubernetes names and IPv4 addresses. For those the answer is computed
// directly; anything else still goes to localeCompare, so no order changes (test/unit/util/compare.test.ts
// checks both against localeCompare).

/**
 * Lower-case letters, digits, '-', '.', '/': ICU's root collation (what localeCompare uses in the
 * default and 'en' locales) gives each of them its own primary weight, in code-unit order
 * ('-' < '.' < '/' < '0'-'9' < 'a'-'z'), so comparing such strings is comparing their code units.
 */
const NAME_CHARS = /^[a-z0-9./-]*$/;

/** a.localeCompare(b), as -1, 0 or 1. */
export function compareNames(a: string, b: string): number {
  if (NAME_CHARS.test(a) && NAME_CHARS.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const c = a.localeCompare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** A dotted IPv4 address without leading zeros (what the API server writes). */
const IPV4 = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/** a.localeCompare(b, 'en', { numeric: true }), as -1, 0 or 1: IPv4 addresses octet by octet. */
export function compareNumeric(a: string, b: string): number {
  if (IPV4.test(a) && IPV4.test(b)) {
    const x = a.split('.');
    const y = b.split('.');
    for (let i = 0; i < 4; i++) {
      const d = Number(x[i]) - Number(y[i]);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  }
  const c = a.localeCompare(b, 'en', { numeric: true });
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
