// --port, for every command: a port number 1-65535 or a port name (IANA_SVC_NAME), validated once.

import { UserError } from '../errors.js';

/** --port: a port name (IANA_SVC_NAME: lower-case letters, digits, '-', at most 15, one letter) or a number 1-65535. */
export function parsePortArg(text: string): string {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n >= 1 && n <= 65535) return t;
  } else if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(t) && t.length <= 15 && /[a-z]/.test(t)) {
    return t;
  }
  throw new UserError({
    message: `--port: "${text}" is not a port`,
    why: 'a port is a number 1-65535 or a Service port name (lower-case letters, digits, "-", at most 15 characters)',
    next: 'list the ports with `kubectl get service NAME -o jsonpath={.spec.ports}`',
  });
}

/** A validated --port as the policy engine takes it: a number, or a port name; undefined when not given. */
export function portNumberOrName(text: string | undefined): number | string | undefined {
  if (text === undefined || text === '') return undefined;
  const p = parsePortArg(text);
  return /^\d+$/.test(p) ? Number(p) : p;
}
