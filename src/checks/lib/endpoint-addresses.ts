// Flattening EndpointSlices (or the legacy Endpoints fallback) into addresses with their conditions.

import type { EndpointSlice, Endpoints } from '../../model/k8s.js';

export interface EndpointAddress {
  ip: string;
  /** EndpointSlice semantics: a nil ready condition means "ready" (unknown state is treated as ready). */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  pod?: string;
}

export function addressesFromSlices(slices: EndpointSlice[]): EndpointAddress[] {
  const out = new Map<string, EndpointAddress>();
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue;
    for (const e of s.endpoints ?? []) {
      const ready = e.conditions?.ready ?? true;
      const serving = e.conditions?.serving ?? ready;
      const terminating = e.conditions?.terminating ?? false;
      for (const ip of e.addresses) {
        const a: EndpointAddress = { ip, ready: ready !== false, serving: serving !== false, terminating: terminating === true };
        if (e.nodeName) a.nodeName = e.nodeName;
        if (e.targetRef?.name) a.pod = e.targetRef.name;
        out.set(ip, a);
      }
    }
  }
  return [...out.values()];
}

export function addressesFromEndpoints(ep: Endpoints): EndpointAddress[] {
  const out: EndpointAddress[] = [];
  for (const sub of ep.subsets ?? []) {
    for (const a of sub.addresses ?? []) {
      out.push({ ip: a.ip, ready: true, serving: true, terminating: false, nodeName: a.nodeName, pod: a.targetRef?.name });
    }
    for (const a of sub.notReadyAddresses ?? []) {
      out.push({ ip: a.ip, ready: false, serving: false, terminating: false, nodeName: a.nodeName, pod: a.targetRef?.name });
    }
  }
  return out;
}

/** "10.244.0.7 (payments-api-6d9f-abcde on node-1) ready" */
export function describeAddress(a: EndpointAddress): string {
  const who = a.pod ? ` (${a.pod}${a.nodeName ? ` on ${a.nodeName}` : ''})` : a.nodeName ? ` (on ${a.nodeName})` : '';
  const state = a.ready ? 'ready' : a.terminating ? (a.serving ? 'terminating, serving' : 'terminating') : 'not ready';
  return `${a.ip}${who} ${state}`;
}
