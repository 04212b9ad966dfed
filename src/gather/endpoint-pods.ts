// Finds the pods behind EndpointSlice addresses that are not pods of the target namespace (a Service
// without a selector pointing at pods elsewhere), so NetworkPolicy judges them as those pods.

import type { Api } from '../cluster/api.js';
import { qs } from '../cluster/api.js';
import type { Read } from '../model/facts.js';
import type { EndpointSlice, Pod } from '../model/k8s.js';
import { parseIp } from '../policy/cidr.js';
import { podIPs } from '../util/pod.js';

/** At most this many addresses are looked up (one request each). */
export const MAX_ENDPOINT_LOOKUPS = 16;

/** Ready IP addresses of the slices that are not the IP of a pod already read; deduplicated, capped. */
export function addressesToLookUp(slices: EndpointSlice[], known: Pod[]): string[] {
  const have = new Set(known.flatMap(podIPs));
  const out: string[] = [];
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue;
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses) if (parseIp(a) && !have.has(a) && !out.includes(a)) out.push(a);
    }
  }
  return out.slice(0, MAX_ENDPOINT_LOOKUPS);
}

/**
 * Pods cluster-wide whose status.podIP is one of the addresses (a field selector the API server
 * supports for pods). Any failed lookup makes the whole read that failure: the addresses it could
 * not check then stay "could not tell", never "outside the cluster".
 */
export async function lookUpEndpointPods(api: Api, addresses: string[]): Promise<Read<Pod[]>> {
  const reads = await Promise.all(addresses.map((ip) => api.list<Pod>(`/api/v1/pods${qs({ fieldSelector: `status.podIP=${ip}` })}`)));
  const failed = reads.find((r) => r.state !== 'ok');
  if (failed) return failed;
  const pods = new Map<string, Pod>();
  for (const r of reads) if (r.state === 'ok') for (const p of r.value) if (!p.spec?.hostNetwork) pods.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  return { state: 'ok', value: [...pods.values()] };
}
