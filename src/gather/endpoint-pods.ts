// Finds the pods behind EndpointSlice addresses that are not pods of the target namespace (a Service
// without a selector pointing at pods elsewhere), so NetworkPolicy judges them as those pods.

import type { Api } from '../cluster/api.js';
import { qs } from '../cluster/api.js';
import type { Read } from '../model/facts.js';
import type { Pod } from '../model/k8s.js';

export { addressesToLookUp, MAX_ENDPOINT_LOOKUPS } from '../policy/from-facts.js';

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
