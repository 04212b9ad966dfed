// Step 4 "NetworkPolicy": judges source pod -> each endpoint pod on the targetPort, DNS egress, lints, CNI enforcement.

import type { Facts } from '../model/facts.js';
import type { Finding, Status } from '../model/finding.js';
import type { ObjectRef, Pod, ServicePort } from '../model/k8s.js';
import { evaluateFlow, isFlowAllowed } from '../policy/evaluate.js';
import { describeRuleRef, explainVerdict } from '../policy/explain.js';
import { addressDestinations, NO_SELECTOR, worldFromFacts, type AddressDestination } from '../policy/from-facts.js';
import { cidrContains, parseCidr, parseIp } from '../policy/cidr.js';
import { policyRef } from '../policy/evaluate.js';
import { dnsBlockedProtocols, dnsPods as worldDnsPods, lintSelectsNothing, lintVerdict } from '../policy/lint.js';
import { resolveNamedPort } from '../policy/ports.js';
import { suggestAllowRule } from '../policy/suggest.js';
import type { Flow, Lint, PartyRef, Protocol, Verdict } from '../policy/types.js';
import { WorldIndex } from '../policy/world-index.js';
import { podIPs, podNamespace } from '../util/pod.js';
import { IPBLOCK_POD_NOTE } from '../policy/peers.js';
import type { PolicyCode } from '../model/codes-policy.js';
import type { CniInfo } from '../model/finding-data.js';
import { detectCni, ipBlockMatchesPodIPs } from './cni.js';
import { make, type FindingExtras } from './lib/make.js';
import { nextForUnread } from './lib/read.js';

const STEP = 'policy' as const;

/** A step-4 finding (the one finding constructor, with the step fixed). */
function pf<C extends PolicyCode>(code: C, status: Status, summary: string, evidence: string[], extra: FindingExtras<C> = {}) {
  return make(code, STEP, status, summary, evidence, extra);
}

function podRef(p: Pod): ObjectRef {
  return { kind: 'Pod', namespace: podNamespace(p), name: p.metadata.name };
}

const LINT_CODES: Record<Lint['code'], PolicyCode | undefined> = {
  'or-instead-of-and': 'policy/or-instead-of-and',
  'service-port-not-target-port': 'policy/service-port-not-target-port',
  'selects-nothing': 'policy/selects-nothing',
  'ipblock-contains-pod-ip': 'policy/ipblock-pod-ip',
  'host-network': 'policy/host-network',
  'peer-matches-nothing': 'policy/peer-matches-nothing',
  'dns-egress-blocked': undefined, // its own finding below, with the kube-dns evidence
  'not-enforced': undefined, // its own finding from the CNI detection
};

/** The Service ports under test (--port, else all). */
export function servicePorts(facts: Facts): ServicePort[] {
  if (facts.service.state !== 'ok') return [];
  const all = facts.service.value.spec.ports ?? [];
  const req = facts.request.port;
  if (!req) return all;
  const hit = all.filter((p) => p.name === req || String(p.port) === req);
  return hit.length > 0 ? hit : all;
}

/** A Service port's targetPort on one pod (named ports resolve per pod). */
export function targetPortOn(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  return resolveNamedPort(pod, tp, (sp.protocol ?? 'TCP').toUpperCase() as Protocol);
}

/** "payments/payments-api-1", or the address of a peer outside the pod network. */
function partyText(p: PartyRef): string {
  return p.kind === 'external' ? `${p.ip} (outside the pod network)` : `${p.namespace}/${p.name}`;
}

/**
 * True when the flow is denied only because the CNI's treatment of an ipBlock containing a pod IP is
 * unknown: judged again as if the CNI matched pod IPs by address, it is allowed.
 */
function undecidedByIpBlock(idx: WorldIndex, flow: Flow, v: Verdict, addressIdx: () => WorldIndex): boolean {
  if (v.allowed || idx.world.ipBlockMatchesPods === true || idx.world.ipBlockMatchesPods === false) return false;
  if (![v.egress, v.ingress].some((d) => d.notes.some((n) => n.includes(IPBLOCK_POD_NOTE)))) return false;
  return isFlowAllowed(addressIdx(), flow.src, flow.dst, flow.port, flow.protocol);
}

function verdictFindings(v: Verdict, flow: Flow, cni: CniInfo, undecided = false): Finding[] {
  const dst = partyText(v.dst);
  const src = partyText(v.src);
  const port = `${v.protocol} ${v.port}${v.servicePort !== undefined && v.servicePort !== v.port ? ` (Service port ${v.servicePort})` : ''}`;
  const data = { verdict: v, ...(v.suggestion ? { suggestion: v.suggestion } : {}) };
  const evidence = explainVerdict(v);
  // Denied only because k8snet cannot tell whether the CNI matches an ipBlock against a pod IP: unknown, never a failure.
  if (undecided) {
    const blocks = [...new Set([v.egress, v.ingress].flatMap((d) => d.notes.filter((n) => n.includes(IPBLOCK_POD_NOTE)).map((n) => n.split(':')[0])))];
    return [
      pf(
        'policy/unknown',
        'unknown',
        `NetworkPolicy verdict for ${src} -> ${dst} on ${port} unknown: only an ipBlock would admit it (${blocks.join('; ')}), and whether the CNI (${cni.name}) matches pod IPs by ipBlock is implementation-dependent`,
        evidence,
        {
          ...(flow.dst.kind === 'pod' ? { subject: podRef(flow.dst.pod) } : {}),
          next: ['allow the pod by podSelector/namespaceSelector: every CNI matches those'],
        },
      ),
    ];
  }
  if (v.allowed) {
    const how = [v.egress, v.ingress]
      .map((d) => (d.isolated && d.allowedBy[0] ? `${d.direction} by ${describeRuleRef(d.allowedBy[0], d.direction)}` : `${d.direction} not isolated`))
      .join(', ');
    return [
      pf('policy/allowed', 'pass', `NetworkPolicy allows ${src} -> ${dst} on ${port} (${how})`, evidence, {
        ...(flow.dst.kind === 'pod' ? { subject: podRef(flow.dst.pod) } : {}),
        data,
      }),
    ];
  }
  // Known not to be enforced: the policies deny on paper, packets still flow.
  const status: Status = cni.enforcesPolicy === false ? 'warn' : 'fail';
  const out: Finding[] = [];
  for (const d of [v.egress, v.ingress]) {
    if (d.allowed) continue;
    const first = d.misses.find((m) => m.ruleIndex !== null) ?? d.misses[0];
    const names = d.misses.map((m) => `${m.policy.namespace}/${m.policy.name}`);
    const rule =
      first && first.ruleIndex !== null
        ? ` (closest: ${describeRuleRef(first, d.direction)})`
        : first
          ? ` (${first.policy.name} has no ${d.direction} rules)`
          : '';
    const code: PolicyCode = d.direction === 'ingress' ? 'policy/ingress-denied' : 'policy/egress-denied';
    const owner = d.direction === 'ingress' ? flow.dst : flow.src;
    const summary = `${d.direction === 'ingress' ? `Ingress of ${dst}` : `Egress of ${src}`} denies ${src} -> ${dst} on ${port}: selected by ${names.join(', ')}, no rule admits it${rule}${status === 'warn' ? ` — but the CNI (${cni.name}) does not enforce NetworkPolicy` : ''}`;
    out.push(
      pf(code, status, summary, evidence, {
        subject: owner.kind === 'pod' ? podRef(owner.pod) : undefined,
        next: [...d.misses.map((m) => `kubectl describe networkpolicy -n ${m.policy.namespace} ${m.policy.name}`)],
        data,
      }),
    );
  }
  return out;
}

/** Step 4: NetworkPolicy verdicts for source pod -> each destination pod on the targetPort(s). */
export function checkPolicy(facts: Facts): Finding[] {
  const cni = detectCni(facts);
  const fw = worldFromFacts(facts, cni.enforcesPolicy);
  const out: Finding[] = [];
  out.push(
    cni.name === 'unknown'
      ? pf('policy/cni-unknown', 'info', 'CNI not recognised: k8snet cannot tell whether NetworkPolicy is enforced', cni.evidence, { data: { cni } })
      : pf(
          'policy/cni-detected',
          'info',
          `CNI: ${cni.name} (${cni.enforcesPolicy === true ? 'enforces NetworkPolicy' : cni.enforcesPolicy === false ? 'does not enforce NetworkPolicy' : 'enforcement unknown'})`,
          cni.evidence,
          { data: { cni } },
        ),
  );
  if (fw.unreadable.length > 0) {
    out.push(
      pf(
        'policy/unknown',
        'unknown',
        `NetworkPolicy verdict unknown: ${fw.unreadable.map((u) => u.what).join('; ')} could not be read`,
        fw.unreadable.map((u) => `${u.what}: ${u.read.state}${'message' in u.read && u.read.message ? ` (${u.read.message})` : ''}`),
        {
          next: nextForUnread(
            fw.unreadable.map((u) => u.read.state),
            'grant list on networkpolicies.networking.k8s.io and namespaces (see `k8snet rbac`)',
          ),
        },
      ),
    );
    return out;
  }
  if (cni.enforcesPolicy === false && fw.world.policies.length > 0) {
    out.push(
      pf(
        'policy/not-enforced',
        'warn',
        `${fw.world.policies.length} NetworkPolicies exist, but the CNI (${cni.name}) does not enforce them: they block nothing`,
        cni.evidence,
        { next: ['install a policy-enforcing CNI or enable its policy engine (Calico, Cilium, AWS VPC CNI network policy agent)'] },
      ),
    );
  }
  // diagnose without --from: the static reach of the Service (checkPolicyReach) is the policy step
  if (!fw.source && !facts.request.from && fw.destinations.length > 0) return out;
  // EndpointSlice addresses the selector does not cover (every address of a selector-less Service)
  const addresses = addressDestinations(facts, fw.destinations);
  if (!fw.source || (fw.destinations.length === 0 && addresses.length === 0)) {
    // with slice addresses to judge, the missing selector is no reason: the missing source is
    const missing = addresses.length > 0 ? fw.missing.filter((m) => m !== NO_SELECTOR) : fw.missing;
    out.push(pf('policy/unknown', 'unknown', `NetworkPolicy not evaluated: ${missing.join('; ')}`, missing));
    return out;
  }
  fw.world.ipBlockMatchesPods = ipBlockMatchesPodIPs(cni);
  for (const a of addresses) if (a.party.kind === 'pod' && !fw.world.pods.includes(a.party.pod)) fw.world.pods.push(a.party.pod);
  const idx = new WorldIndex(fw.world);
  let byAddress: WorldIndex | undefined;
  const addressIdx = () => (byAddress ??= new WorldIndex({ ...fw.world, ipBlockMatchesPods: true }));
  const src = fw.source;
  const lints = new Map<string, Lint>();
  const addLint = (l: Lint) => lints.set(`${l.code}|${l.policy?.namespace}/${l.policy?.name}|${l.path}|${l.message}`, l);
  const seen = new Set<string>();
  for (const dst of fw.destinations) {
    for (const sp of servicePorts(facts)) {
      const port = targetPortOn(dst, sp);
      if (port === undefined) continue; // unresolvable named targetPort: step 1 reports it
      const protocol = (sp.protocol ?? 'TCP').toUpperCase() as Protocol;
      const flow: Flow = { src: { kind: 'pod', pod: src }, dst: { kind: 'pod', pod: dst }, port, protocol, servicePort: sp.port };
      const v = evaluateFlow(idx, flow);
      v.lints = lintVerdict(idx, flow, v);
      v.lints.forEach(addLint);
      const s = suggestAllowRule(flow, v);
      if (s) v.suggestion = s;
      // Pods with the same labels and ports give the same verdict: report one per signature.
      const sig = JSON.stringify([dst.metadata.labels, port, protocol, v.allowed, v.servicePort]);
      if (seen.has(sig)) continue;
      seen.add(sig);
      out.push(...verdictFindings(v, flow, cni, undecidedByIpBlock(idx, flow, v, addressIdx)));
    }
  }
  const flowOut = addressFindings(facts, idx, src, addresses, cni, addLint, addressIdx);
  out.push(...flowOut);
  const egressDenied = out.some((f) => f.code === 'policy/egress-denied' && f.status !== 'pass');
  out.push(...clusterIpBlockFindings(facts, idx, src, [...fw.destinations.flatMap(podIPs), ...addresses.map((a) => a.address)], egressDenied));
  for (const p of idx.policiesIn(facts.request.target.namespace)) {
    const l = lintSelectsNothing(idx, p);
    if (l) addLint(l);
  }
  for (const l of lints.values()) {
    const f = lintFinding(l);
    if (f) out.push(f);
  }
  out.push(...dnsFinding(idx, src, fw.dnsPods, facts));
  return out;
}

/** A policy lint as a finding (undefined for the lints reported by their own findings). */
export function lintFinding(l: Lint): Finding | undefined {
  const code = LINT_CODES[l.code];
  if (!code) return undefined;
  const status: Status = l.code === 'selects-nothing' || l.code === 'ipblock-contains-pod-ip' || l.code === 'host-network' ? 'info' : 'warn';
  return pf(code, status, l.message, l.path ? [`${l.policy?.namespace}/${l.policy?.name} ${l.path}`] : [], {
    ...(l.policy
      ? {
          subject: { kind: 'NetworkPolicy', namespace: l.policy.namespace, name: l.policy.name },
          next: [`kubectl describe networkpolicy -n ${l.policy.namespace} ${l.policy.name}`],
        }
      : {}),
  });
}

function dnsFinding(idx: WorldIndex, src: Pod, gathered: Pod[], facts: Facts): Finding[] {
  if (src.spec?.hostNetwork || idx.selectingPolicies(src, 'egress').length === 0) return [];
  const { pods, standIn } = gathered.length > 0 ? { pods: gathered, standIn: false } : worldDnsPods(idx);
  const blocked = dnsBlockedProtocols(idx, src, pods);
  const names = idx.selectingPolicies(src, 'egress').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  const svc = facts.dns.service.state === 'ok' ? ` (Service kube-system/kube-dns ${facts.dns.service.value.spec.clusterIP ?? ''})` : '';
  const evidence = [
    `egress of ${podNamespace(src)}/${src.metadata.name} is isolated by ${names.join(', ')}`,
    `kube-dns pods${svc}: ${standIn ? 'not readable; judged against a k8s-app=kube-dns pod in kube-system' : pods.map((p) => `${podNamespace(p)}/${p.metadata.name}`).join(', ')}`,
  ];
  if (blocked.length === 0)
    return [
      pf('policy/dns-egress-allowed', 'pass', `Egress policy of ${podNamespace(src)}/${src.metadata.name} allows DNS (UDP and TCP 53) to kube-dns`, evidence),
    ];
  const v = evaluateFlow(idx, { src: { kind: 'pod', pod: src }, dst: { kind: 'pod', pod: pods[0] }, port: 53, protocol: blocked[0] });
  return [
    pf(
      'policy/dns-egress-blocked',
      'fail',
      `Egress policy of ${podNamespace(src)}/${src.metadata.name} blocks ${blocked.join(' and ')} 53 to kube-dns: name lookups from this pod fail`,
      [...evidence, ...explainVerdict(v)],
      {
        subject: podRef(src),
        next: [
          ...names.map((n) => `kubectl describe networkpolicy -n ${n.split('/')[0]} ${n.split('/')[1]}`),
          'add an egress rule: to namespaceSelector kubernetes.io/metadata.name=kube-system + podSelector k8s-app=kube-dns, ports UDP 53 and TCP 53',
        ],
        data: { blocked, dnsVerdict: v },
      },
    ),
  ];
}

/** The slice port a Service port sends to: same name (both unnamed for a single-port Service). */
function slicePortFor(a: AddressDestination, sp: ServicePort): { port: number; protocol: Protocol } | undefined {
  const hit = a.ports.find((p) => (p.name ?? '') === (sp.name ?? '') && typeof p.port === 'number');
  if (!hit || hit.port === undefined) return undefined;
  return { port: hit.port, protocol: (hit.protocol ?? sp.protocol ?? 'TCP').toUpperCase() as Protocol };
}

/**
 * Source -> each EndpointSlice address the selector does not cover, on the slice's port: a pod's IP
 * as that pod, any other address as a peer outside the pod network (ipBlock rules only). A pod whose
 * namespace's policies were not read has an unknown ingress: its verdict is unknown unless the
 * source's egress already denies.
 */
function addressFindings(
  facts: Facts,
  idx: WorldIndex,
  src: Pod,
  addresses: AddressDestination[],
  cni: CniInfo,
  addLint: (l: Lint) => void,
  addressIdx: () => WorldIndex,
): Finding[] {
  const out: Finding[] = [];
  for (const a of addresses) {
    if (a.party.kind === 'unknown') {
      out.push(
        pf('policy/unknown', 'unknown', `NetworkPolicy verdict for endpoint ${a.address} unknown: ${a.party.why}`, [`${a.slice}: ready address ${a.address}`], {
          next: ['grant list on pods cluster-wide (see `k8snet rbac`) so k8snet can find the pod behind the address'],
        }),
      );
      continue;
    }
    const dstNs = a.party.kind === 'pod' ? podNamespace(a.party.pod) : undefined;
    const dstRead = dstNs === undefined ? undefined : facts.policies[dstNs];
    const ingressUnread = dstNs !== undefined && (!dstRead || (dstRead.state !== 'ok' && dstRead.state !== 'not-found'));
    for (const sp of servicePorts(facts)) {
      const p = slicePortFor(a, sp);
      if (!p) continue; // no slice port for this Service port: step 1 reports the endpoints
      const dst: Flow['dst'] =
        a.party.kind === 'pod' ? { kind: 'pod', pod: a.party.pod, origin: `endpoint ${a.address} of ${a.slice}` } : { kind: 'external', ip: a.party.ip };
      const flow: Flow = { src: { kind: 'pod', pod: src }, dst, port: p.port, protocol: p.protocol, servicePort: sp.port };
      const v = evaluateFlow(idx, flow);
      v.notes.push(`${a.slice} lists ${a.address}: NetworkPolicy sees this address after the Service's DNAT, never the ClusterIP`);
      v.lints = lintVerdict(idx, flow, v);
      v.lints.forEach(addLint);
      const s = suggestAllowRule(flow, v);
      if (s) v.suggestion = s;
      if (ingressUnread && v.egress.allowed) {
        out.push(
          pf(
            'policy/unknown',
            'unknown',
            `NetworkPolicy verdict for ${partyText(v.src)} -> endpoint ${a.address} (${partyText(v.dst)}) unknown: the source's egress allows it, but the NetworkPolicies of namespace ${dstNs} were not read`,
            explainVerdict(v),
            { next: nextForUnread([dstRead?.state ?? 'missing'], `grant list on networkpolicies in namespace ${dstNs} (see \`k8snet rbac\`)`) },
          ),
        );
        continue;
      }
      out.push(
        ...verdictFindings(v, flow, cni, undecidedByIpBlock(idx, flow, v, addressIdx)).filter((f) => !(ingressUnread && f.code === 'policy/ingress-denied')),
      );
    }
  }
  return out;
}

/**
 * The common egress mistake: an ipBlock written for the Service CIDR / ClusterIP (warn when the
 * source's egress denies the path, info when another rule admits it anyway). kube-proxy (or the
 * eBPF dataplane) rewrites the destination to an endpoint before NetworkPolicy looks at the packet,
 * so such a rule admits nothing on the way to the Service; only the endpoint addresses count. One
 * finding per rule peer that contains a ClusterIP of the target but not every endpoint address.
 */
function clusterIpBlockFindings(facts: Facts, idx: WorldIndex, src: Pod, endpoints: string[], egressDenied: boolean): Finding[] {
  if (facts.service.state !== 'ok' || endpoints.length === 0 || src.spec?.hostNetwork) return [];
  const svc = facts.service.value;
  const vips = [...new Set([...(svc.spec.clusterIPs ?? []), ...(svc.spec.clusterIP ? [svc.spec.clusterIP] : [])])].filter((ip) => parseIp(ip));
  if (vips.length === 0) return [];
  const out: Finding[] = [];
  const t = facts.request.target;
  for (const pol of idx.selectingPolicies(src, 'egress')) {
    const ref = policyRef(pol);
    (pol.spec.egress ?? []).forEach((rule, r) => {
      (rule.to ?? []).forEach((peer, j) => {
        if (!peer.ipBlock) return;
        const block = parseCidr(peer.ipBlock.cidr);
        if (!block) return;
        const inside = (ipText: string) => {
          const ip = parseIp(ipText);
          if (!ip || !cidrContains(block, ip)) return false;
          return !(peer.ipBlock!.except ?? []).some((e) => {
            const c = parseCidr(e);
            return c !== null && cidrContains(c, ip);
          });
        };
        const vip = vips.find(inside);
        if (!vip) return;
        const outside = endpoints.filter((e) => !inside(e));
        if (outside.length === 0) return; // the block covers the endpoints too: it works (for its own reason)
        const path = `spec.egress[${r}].to[${j}]`;
        // a warning where the source's egress denies the path; where another rule admits it, a remark
        out.push(
          pf(
            'policy/egress-ipblock-cluster-ip',
            egressDenied ? 'warn' : 'info',
            `Egress rule ${ref.namespace}/${ref.name} ${path} (ipBlock ${peer.ipBlock.cidr}) covers the ClusterIP ${vip} of ${t.namespace}/${t.name}, but NetworkPolicy sees the endpoint address after DNAT: it does not admit ${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ` (+${outside.length - 3} more)` : ''}`,
            [
              `${ref.namespace}/${ref.name} ${path}: ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(',')}` : ''}`,
              `ClusterIP(s) of ${t.namespace}/${t.name}: ${vips.join(', ')}`,
              `endpoint addresses: ${endpoints.join(', ')}`,
            ],
            {
              subject: { kind: 'NetworkPolicy', namespace: ref.namespace, name: ref.name },
              next: [
                `kubectl describe networkpolicy -n ${ref.namespace} ${ref.name}`,
                `allow the endpoints instead: an ipBlock covering ${outside[0]}, or a podSelector/namespaceSelector for pod endpoints`,
              ],
            },
          ),
        );
      });
    });
  }
  return out;
}
