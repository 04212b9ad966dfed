// Mesh: Istio/Linkerd sidecars (classic or native init-container sidecars) on the source or target pods.

import type { Facts } from '../model/facts.js';
import type { FindingOf } from '../model/finding.js';
import type { Pod } from '../model/k8s.js';
import { matchesMap } from '../util/selector.js';
import { make } from './lib/make.js';

const SIDECARS: Record<string, string> = { 'istio-proxy': 'Istio', 'linkerd-proxy': 'Linkerd' };

/** The mesh whose proxy runs in the pod, as a regular container or a native sidecar (restartPolicy Always). */
export function meshOf(pod: Pod): { mesh: string; container: string; native: boolean } | undefined {
  for (const c of pod.spec.containers) {
    if (SIDECARS[c.name]) return { mesh: SIDECARS[c.name], container: c.name, native: false };
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (SIDECARS[c.name] && c.restartPolicy === 'Always') return { mesh: SIDECARS[c.name], container: c.name, native: true };
  }
  return undefined;
}

function targetPods(facts: Facts): Pod[] {
  if (facts.service.state !== 'ok' || facts.namespacePods.state !== 'ok') return [];
  const sel = facts.service.value.spec.selector ?? {};
  return facts.namespacePods.value.filter((p) => matchesMap(sel, p.metadata.labels));
}

/** A sidecar mesh on either end is its own layer: mTLS, proxy routing and mesh policy sit between the pods. */
export function checkMesh(facts: Facts): FindingOf<'mesh/sidecar'>[] {
  const hits: { side: string; pod: Pod; mesh: string; container: string; native: boolean }[] = [];
  if (facts.source.state === 'ok') {
    const m = meshOf(facts.source.value.pod);
    if (m) hits.push({ side: 'source', pod: facts.source.value.pod, ...m });
  }
  const target = targetPods(facts)
    .map((pod) => ({ pod, m: meshOf(pod) }))
    .find((x) => x.m);
  if (target?.m) hits.push({ side: 'target', pod: target.pod, ...target.m });
  return hits.map((h) =>
    make(
      'mesh/sidecar',
      'clusterip',
      'info',
      `${h.mesh} sidecar ${h.container} runs in the ${h.side} pod ${h.pod.metadata.name}: mTLS, proxy routing and mesh policy also apply`,
      [
        `${h.side} pod ${h.pod.metadata.namespace ?? ''}/${h.pod.metadata.name} has ${h.native ? 'native sidecar (initContainer, restartPolicy Always)' : 'container'} ${h.container}`,
      ],
      {
        subject: { kind: 'Pod', namespace: h.pod.metadata.namespace, name: h.pod.metadata.name },
        next: [
          h.mesh === 'Istio'
            ? `istioctl x describe pod ${h.pod.metadata.name} -n ${h.pod.metadata.namespace ?? ''}`
            : `linkerd viz tap -n ${h.pod.metadata.namespace ?? ''} pod/${h.pod.metadata.name}`,
        ],
        data: { mesh: h.mesh, side: h.side },
      },
    ),
  );
}
