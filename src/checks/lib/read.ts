// Turning a Read that could not be made into a sentence naming the missing permission or failure.

import type { Read } from '../../model/facts.js';

/** What was being read, in RBAC terms. */
export interface ReadWhat {
  verb: 'get' | 'list';
  /** Plural resource as RBAC names it: "pods", "endpointslices.discovery.k8s.io". */
  resource: string;
  namespace?: string;
  name?: string;
}

/** "list pods in namespace payments" */
export function describeRead(w: ReadWhat): string {
  const obj = w.name ? `${w.resource} ${w.name}` : w.resource;
  const where = w.namespace ? ` in namespace ${w.namespace}` : ' (cluster-wide)';
  return `${w.verb} ${obj}${where}`;
}

/**
 * For a read that is neither ok nor not-found: "list pods in namespace payments: forbidden — grant
 * list on pods". Forbidden is never read as "absent" (k8sgpt #1668 turned a 403 into "does not exist").
 */
export function unreadableSentence(read: Read<unknown>, w: ReadWhat): string {
  const base = describeRead(w);
  const resource = w.resource;
  switch (read.state) {
    case 'forbidden':
      return `${base}: forbidden — grant ${w.verb} on ${resource}${w.namespace ? ` in namespace ${w.namespace}` : ''}`;
    case 'timeout':
      return `${base}: timed out — the API server did not answer in time`;
    case 'unreachable':
      return `${base}: API server unreachable`;
    case 'skipped':
      return `${base}: skipped${read.message ? ` (${read.message})` : ''}`;
    case 'error':
      return `${base}: failed${read.message ? ` (${read.message})` : ''}`;
    default:
      return base;
  }
}

/** The raw API message of a failed read, for evidence. */
export function readMessage(read: Read<unknown>): string[] {
  return read.state !== 'ok' && read.message ? [`API: ${read.message}`] : [];
}

/** True when the read could not be made (forbidden, timeout, unreachable, error, skipped). */
export function isUnreadable<T>(read: Read<T>): read is Exclude<Read<T>, { state: 'ok' } | { state: 'not-found' }> {
  return read.state !== 'ok' && read.state !== 'not-found';
}

/** The readyz line offered when reads got no answer (timed out, or the API server unreachable). */
export const API_ANSWERING = "kubectl get --raw='/readyz?verbose'   # is the API server answering";

/**
 * Next steps for reads that could not be made: the permission to grant when one was forbidden (or
 * failed for a reason k8snet cannot tell), the API server when they only got no answer, both when
 * both happened. A read that timed out is never answered with a grant.
 */
export function nextForUnread(states: readonly string[], grant: string): string[] {
  const noAnswer = states.some((s) => s === 'timeout' || s === 'unreachable');
  const other = states.some((s) => s !== 'timeout' && s !== 'unreachable');
  return [...(noAnswer ? [API_ANSWERING] : []), ...(other || !noAnswer ? [grant] : [])];
}
