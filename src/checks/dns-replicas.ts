// DNS through each CoreDNS replica by its pod IP (next to the kube-dns ClusterIP): one replica that
// does not answer makes about 1 lookup in n fail through the ClusterIP, intermittently.

import type { Facts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { make } from './lib/make.js';
import { dnsOutcome, isNotRun, probeEvidence, probesWithPrefix } from './lib/probe-evidence.js';

const STEP = 'dns' as const;

export function checkDnsReplicas(facts: Facts): Finding[] {
  const probes = probesWithPrefix(facts, 'dns/replica/');
  if (probes.length === 0) return [];
  const src = facts.source.state === 'ok' ? facts.source.value.pod.spec.nodeName : undefined;
  const out: Finding[] = [];
  const results = probes.map((p) => ({ p, o: dnsOutcome(p) }));
  const judged = results.filter((r) => !isNotRun(r.o.kind) && r.o.kind !== 'tool-missing');
  const failing = judged.filter((r) => r.o.kind === 'timeout' || r.o.kind === 'refused' || r.o.kind === 'error');
  const n = judged.length;
  for (const { p, o } of results) {
    const who = `CoreDNS replica ${p.target.pod ?? p.target.server} (${p.target.server}) on node ${p.target.node ?? '?'}`;
    const data = { server: p.target.server, pod: p.target.pod, node: p.target.node, sourceNode: src, outcome: o.kind, replicas: n, failing: failing.length };
    if (o.kind === 'answer' || o.kind === 'nxdomain' || o.kind === 'no-answer' || o.kind === 'servfail') {
      // the replica answered (what it answered is the ClusterIP probes' business)
      out.push(
        make(
          'dns/replica-ok',
          STEP,
          'pass',
          `${who} answers from node ${src ?? '?'} (${o.kind === 'answer' ? o.addresses.join(', ') || 'answer' : o.kind})`,
          probeEvidence(p, o.detail).slice(0, 3),
          { data },
        ),
      );
    } else if (failing.some((f) => f.p === p)) {
      const share = n > 1 ? `: about 1 in ${n} lookups through kube-dns go to it and fail (intermittent DNS)` : '';
      out.push(
        make('dns/replica-unreachable', STEP, 'fail', `${who} does not answer from node ${src ?? '?'} (${o.kind})${share}`, probeEvidence(p, o.detail), {
          next: [
            `kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide`,
            `kubectl -n kube-system logs ${p.target.pod ?? '-l k8s-app=kube-dns'} --tail=30`,
          ],
          data,
        }),
      );
    }
  }
  return out;
}
