// Step 4, static half: which policies isolate the Service's pods for ingress and who they let in on
// the pods' ports — needs no source pod. A Service that no rule lets anyone reach is a finding.

import type { Facts } from '../model/facts.js';
import type { Finding, Status } from '../model/finding.js';
import type { Pod } from '../model/k8s.js';
import { portAdmitsAnyone, reachOf, type Knowledge, type PeerReach, type PortReach, type Reach } from '../policy/callers.js';
import { destinationPods } from '../policy/from-facts.js';
import type { PolicyWorld, Protocol } from '../policy/types.js';
import { WorldIndex } from '../policy/world-index.js';
import { detectCni } from './cni.js';
import type { PolicyCode } from '../model/codes-policy.js';
import { make, type FindingExtras } from './lib/make.js';
import { servicePorts, targetPortOn } from './policy.js';

const STEP = 'policy' as const;

/** A step-4 finding (the one finding constructor, with the step fixed). */
function pf<C extends PolicyCode>(code: C, status: Status, summary: string, evidence: string[], extra: FindingExtras<C>) {
  return make(code, STEP, status, summary, evidence, extra);
}

/**
 * The policy world of a Facts value: every pod read (target namespace, peer namespaces, source,
 * CoreDNS) and every policy read. Sweep shares its `peerPods`, `policies` and `namespaces` objects
 * between all its Services, so the index is built once per sweep and reused (keyed by those objects;
 * with peerPods present, the target namespace's pods are among them).
 */
type Built = { idx: WorldIndex; know: Knowledge };
const shared = new WeakMap<object, WeakMap<object, WeakMap<object, Built>>>();

function cached(facts: Facts): { get: () => Built | undefined; set: (b: Built) => void } {
  const a = facts.peerPods;
  if (!a) return { get: () => undefined, set: () => undefined };
  const b = facts.policies;
  const c = facts.namespaces;
  return {
    get: () => shared.get(a)?.get(b)?.get(c),
    set: (built) => {
      let m1 = shared.get(a);
      if (!m1) shared.set(a, (m1 = new WeakMap()));
      let m2 = m1.get(b);
      if (!m2) m1.set(b, (m2 = new WeakMap()));
      m2.set(c, built);
    },
  };
}

export function policyWorldOf(facts: Facts): Built {
  const cache = cached(facts);
  const hit = cache.get();
  if (hit) return hit;
  const pods = new Map<string, Pod>();
  const add = (list: Pod[]) => {
    for (const p of list) pods.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  };
  for (const r of Object.values(facts.peerPods ?? {})) if (r.state === 'ok') add(r.value);
  if (facts.namespacePods.state === 'ok') add(facts.namespacePods.value);
  if (facts.source.state === 'ok') add([facts.source.value.pod]);
  if (facts.dns.pods.state === 'ok') add(facts.dns.pods.value);
  const world: PolicyWorld = {
    namespaces: facts.namespaces.state === 'ok' ? facts.namespaces.value : [],
    pods: [...pods.values()],
    workloads: [],
    services: [],
    policies: Object.entries(facts.policies).flatMap(([ns, r]) =>
      r.state === 'ok' ? r.value.map((p) => ({ ...p, metadata: { ...p.metadata, namespace: p.metadata.namespace ?? ns } })) : [],
    ),
    origin: 'live',
  };
  const tns = facts.request.target.namespace;
  const know: Knowledge = {
    podsKnown: (ns) => (ns === tns && facts.namespacePods.state === 'ok') || facts.peerPods?.[ns]?.state === 'ok',
    namespacesKnown: facts.namespaces.state === 'ok',
  };
  const out = { idx: new WorldIndex(world), know };
  cache.set(out);
  return out;
}

/** "namespaceSelector kubernetes.io/metadata.name=orders + podSelector app=orders-api: 1 pod in orders". */
export function describePeerReach(x: PeerReach): string {
  const where = `${x.policy.name} ingress[${x.ruleIndex}]`;
  if (x.everyone) return `${where}: every pod (${x.peer})`;
  if (x.cidr !== undefined) return `${where}: addresses in ${x.cidr} (outside the cluster)`;
  const parts: string[] = [];
  if (x.pods > 0) parts.push(`${x.pods} pod(s) in ${x.namespaces.join(', ')}`);
  if (x.unread.length > 0) parts.push(x.unread.includes('*') ? 'namespaces could not be listed' : `pods of ${x.unread.join(', ')} not read`);
  return `${where}: ${x.peer} -> ${parts.join('; ') || 'matches nothing'}`;
}

function portText(pr: PortReach): string {
  return `${pr.protocol} ${pr.port}`;
}

/** The Service's ports as pod ports (targetPort resolved on the first destination pod), deduplicated. */
function podPorts(facts: Facts, pod: Pod): { port: number; protocol: Protocol }[] {
  const seen = new Map<string, { port: number; protocol: Protocol }>();
  for (const sp of servicePorts(facts)) {
    const port = targetPortOn(pod, sp);
    if (port === undefined) continue; // an unresolvable named targetPort is step 1's finding
    const protocol = (sp.protocol ?? 'TCP').toUpperCase() as Protocol;
    seen.set(`${protocol}/${port}`, { port, protocol });
  }
  return [...seen.values()];
}

/** The static reach of the target Service, as findings; `data.reach` carries the structure. */
export function checkPolicyReach(facts: Facts): Finding[] {
  if (facts.service.state !== 'ok' || facts.service.value.spec.type === 'ExternalName') return [];
  const t = facts.request.target;
  const read = facts.policies[t.namespace];
  // unreadable policies are reported once by checkPolicy (policy/unknown)
  if (!read || (read.state !== 'ok' && read.state !== 'not-found')) return [];
  const dst = destinationPods(facts);
  if (dst.pods.length === 0) return [];
  const ports = podPorts(facts, dst.pods[0]);
  if (ports.length === 0) return [];
  const { idx, know } = policyWorldOf(facts);
  const reach: Reach = reachOf(idx, dst.pods, ports, know);
  const svcName = `${t.namespace}/${t.name}`;
  const subject = { kind: 'Service', namespace: t.namespace, name: t.name };
  const names = reach.selectedBy.map((p) => `${p.namespace}/${p.name}`);
  const next = reach.selectedBy.map((p) => `kubectl describe networkpolicy -n ${p.namespace} ${p.name}`);
  const data = { reach };
  if (!reach.isolated) {
    return [
      pf('policy/reach-open', 'info', `No NetworkPolicy isolates the pods of ${svcName} for ingress: any pod may connect (its own egress policies aside)`, [], {
        subject,
        data,
      }),
    ];
  }
  const enforced = detectCni(facts).enforcesPolicy;
  const admitted = reach.ports.filter((pr) => portAdmitsAnyone(pr, true));
  const evidence = [
    `ingress of ${dst.pods.length} pod(s) isolated by ${names.join(', ')}`,
    ...reach.ports.flatMap((pr) => [...pr.peers.map((x) => `${portText(pr)}: ${describePeerReach(x)}`), ...pr.refusals.map((r) => `${portText(pr)}: ${r}`)]),
  ];
  if (admitted.length === 0) {
    const withRules = reach.ports.filter((pr) => pr.peers.length > 0);
    const notEnforced = enforced === false ? ` — but the CNI does not enforce NetworkPolicy` : '';
    if (withRules.length === 0) {
      return [
        pf(
          'policy/no-callers',
          enforced === false ? 'warn' : 'fail',
          `Nobody may connect to ${svcName}: its pods are isolated by ${names.join(', ')} and no rule admits ${reach.ports.map(portText).join(' or ')}${notEnforced}`,
          evidence,
          { subject, next, data },
        ),
      ];
    }
    return [
      pf(
        'policy/callers-match-nothing',
        'warn',
        `Nobody may connect to ${svcName} right now: the rules that admit ${withRules.map(portText).join(', ')} name peers that match no existing pod or namespace (a typo, or clients scaled to zero)`,
        evidence,
        { subject, next, data },
      ),
    ];
  }
  const out: Finding[] = [];
  const who = [
    ...new Set(
      admitted.flatMap((pr) => pr.peers.filter((x) => x.everyone || x.cidr !== undefined || x.pods > 0 || x.unread.length > 0).map(describePeerReach)),
    ),
  ];
  out.push(
    pf(
      'policy/reach-restricted',
      'pass',
      `Ingress of ${svcName} is isolated by ${names.join(', ')}; admitted: ${who.slice(0, 3).join('; ')}${who.length > 3 ? `; +${who.length - 3} more` : ''}`,
      evidence,
      { subject, data },
    ),
  );
  for (const pr of reach.ports) {
    if (admitted.includes(pr)) continue;
    out.push(
      pf(
        'policy/port-no-callers',
        'warn',
        `Port ${portText(pr)} of ${svcName} is admitted from nobody: ${pr.refusals[0] ?? 'its rules name peers that match nothing'}`,
        evidence,
        { subject, next },
      ),
    );
  }
  return out;
}
