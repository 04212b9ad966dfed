// Step 4 "NetworkPolicy": judges source pod -> each endpoint pod on the targetPort, DNS egress, lints, CNI enforcement.

import type { Facts } from '../model/facts.js';
import type { Finding, Status } from '../model/finding.js';
import type { ObjectRef, Pod, ServicePort } from '../model/k8s.js';
import { evaluateFlow } from '../policy/evaluate.js';
import { describeRuleRef, explainVerdict } from '../policy/explain.js';
import { worldFromFacts } from '../policy/from-facts.js';
import { dnsBlockedProtocols, dnsPods as worldDnsPods, lintSelectsNothing, lintVerdict } from '../policy/lint.js';
import { resolveNamedPort } from '../policy/ports.js';
import { suggestAllowRule } from '../policy/suggest.js';
import type { Flow, Lint, Protocol, Verdict } from '../policy/types.js';
import { WorldIndex } from '../policy/world-index.js';
import { podNamespace } from '../util/pod.js';
import type { PolicyCode } from '../model/codes-policy.js';
import type { CniInfo } from '../model/finding-data.js';
import { detectCni } from './cni.js';
import { make, type FindingExtras } from './lib/make.js';

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

function verdictFindings(v: Verdict, flow: Flow, cni: CniInfo): Finding[] {
  const dst = `${v.dst.namespace}/${v.dst.name}`;
  const src = `${v.src.namespace}/${v.src.name}`;
  const port = `${v.protocol} ${v.port}${v.servicePort !== undefined && v.servicePort !== v.port ? ` (Service port ${v.servicePort})` : ''}`;
  const data = { verdict: v, ...(v.suggestion ? { suggestion: v.suggestion } : {}) };
  const evidence = explainVerdict(v);
  if (v.allowed) {
    const how = [v.egress, v.ingress].map((d) => (d.isolated && d.allowedBy[0] ? `${d.direction} by ${describeRuleRef(d.allowedBy[0], d.direction)}` : `${d.direction} not isolated`)).join(', ');
    return [pf('policy/allowed', 'pass', `NetworkPolicy allows ${src} -> ${dst} on ${port} (${how})`, evidence, { ...(flow.dst.kind === 'pod' ? { subject: podRef(flow.dst.pod) } : {}), data })];
  }
  // Known not to be enforced: the policies deny on paper, packets still flow.
  const status: Status = cni.enforcesPolicy === false ? 'warn' : 'fail';
  const out: Finding[] = [];
  for (const d of [v.egress, v.ingress]) {
    if (d.allowed) continue;
    const first = d.misses.find((m) => m.ruleIndex !== null) ?? d.misses[0];
    const names = d.misses.map((m) => `${m.policy.namespace}/${m.policy.name}`);
    const rule = first && first.ruleIndex !== null ? ` (closest: ${describeRuleRef(first, d.direction)})` : first ? ` (${first.policy.name} has no ${d.direction} rules)` : '';
    const code: PolicyCode = d.direction === 'ingress' ? 'policy/ingress-denied' : 'policy/egress-denied';
    const owner = d.direction === 'ingress' ? flow.dst : flow.src;
    const summary = `${d.direction === 'ingress' ? `Ingress of ${dst}` : `Egress of ${src}`} denies ${src} -> ${dst} on ${port}: selected by ${names.join(', ')}, no rule admits it${rule}${status === 'warn' ? ` — but the CNI (${cni.name}) does not enforce NetworkPolicy` : ''}`;
    out.push(pf(code, status, summary, evidence, {
      subject: owner.kind === 'pod' ? podRef(owner.pod) : undefined,
      next: [...d.misses.map((m) => `kubectl describe networkpolicy -n ${m.policy.namespace} ${m.policy.name}`)],
      data,
    }));
  }
  return out;
}

/** Step 4: NetworkPolicy verdicts for source pod -> each destination pod on the targetPort(s). */
export function checkPolicy(facts: Facts): Finding[] {
  const cni = detectCni(facts);
  const fw = worldFromFacts(facts, cni.enforcesPolicy);
  const out: Finding[] = [];
  out.push(cni.name === 'unknown'
    ? pf('policy/cni-unknown', 'info', 'CNI not recognised: k8snet cannot tell whether NetworkPolicy is enforced', cni.evidence, { data: { cni } })
    : pf('policy/cni-detected', 'info', `CNI: ${cni.name} (${cni.enforcesPolicy === true ? 'enforces NetworkPolicy' : cni.enforcesPolicy === false ? 'does not enforce NetworkPolicy' : 'enforcement unknown'})`, cni.evidence, { data: { cni } }));
  if (fw.unreadable.length > 0) {
    out.push(pf('policy/unknown', 'unknown', `NetworkPolicy verdict unknown: ${fw.unreadable.map((u) => u.what).join('; ')} could not be read`,
      fw.unreadable.map((u) => `${u.what}: ${u.read.state}${'message' in u.read && u.read.message ? ` (${u.read.message})` : ''}`),
      { next: ['grant list on networkpolicies.networking.k8s.io and namespaces (see `k8snet rbac`)'] }));
    return out;
  }
  if (cni.enforcesPolicy === false && fw.world.policies.length > 0) {
    out.push(pf('policy/not-enforced', 'warn', `${fw.world.policies.length} NetworkPolicies exist, but the CNI (${cni.name}) does not enforce them: they block nothing`, cni.evidence,
      { next: ['install a policy-enforcing CNI or enable its policy engine (Calico, Cilium, AWS VPC CNI network policy agent)'] }));
  }
  // diagnose without --from: the static reach of the Service (checkPolicyReach) is the policy step
  if (!fw.source && !facts.request.from && fw.destinations.length > 0) return out;
  if (!fw.source || fw.destinations.length === 0) {
    out.push(pf('policy/unknown', 'unknown', `NetworkPolicy not evaluated: ${fw.missing.join('; ')}`, fw.missing));
    return out;
  }
  const idx = new WorldIndex(fw.world);
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
      out.push(...verdictFindings(v, flow, cni));
    }
  }
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
    ...(l.policy ? { subject: { kind: 'NetworkPolicy', namespace: l.policy.namespace, name: l.policy.name }, next: [`kubectl describe networkpolicy -n ${l.policy.namespace} ${l.policy.name}`] } : {}),
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
  if (blocked.length === 0) return [pf('policy/dns-egress-allowed', 'pass', `Egress policy of ${podNamespace(src)}/${src.metadata.name} allows DNS (UDP and TCP 53) to kube-dns`, evidence)];
  const v = evaluateFlow(idx, { src: { kind: 'pod', pod: src }, dst: { kind: 'pod', pod: pods[0] }, port: 53, protocol: blocked[0] });
  return [pf('policy/dns-egress-blocked', 'fail', `Egress policy of ${podNamespace(src)}/${src.metadata.name} blocks ${blocked.join(' and ')} 53 to kube-dns: name lookups from this pod fail`, [...evidence, ...explainVerdict(v)], {
    subject: podRef(src),
    next: [...names.map((n) => `kubectl describe networkpolicy -n ${n.split('/')[0]} ${n.split('/')[1]}`), 'add an egress rule: to namespaceSelector kubernetes.io/metadata.name=kube-system + podSelector k8s-app=kube-dns, ports UDP 53 and TCP 53'],
    data: { blocked, dnsVerdict: v },
  })];
}
