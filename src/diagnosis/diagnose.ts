// diagnose(): findings -> the failing layer, why, how sure, and what next. Pure; rules are tried in
// the order an expert works (source -> endpoints -> ClusterIP/policy -> DNS -> Ingress), first match wins.

import type { Facts } from '../model/facts.js';
import { NOT_PROBED_CODES } from '../model/code-groups.js';
import { familyOf, layerOf, type CodeFamily } from '../model/codes.js';
import type { Confidence, Diagnosis, Finding } from '../model/finding.js';
import { hasCode, LAYERS } from '../model/finding.js';
import { API_ANSWERING } from '../checks/lib/read.js';
import { buildCtx, type Conclusion, type Ctx, type Rule } from './context.js';
import { DNS_RULES, INGRESS_RULES } from './rules-dns-ingress.js';
import { NETWORK_RULES } from './rules-network.js';
import { SERVICE_RULES } from './rules-service.js';
import { GATEWAY_RULES } from './rules-gateway.js';
import { DNS_REPLICA_RULES, NODE_RULES } from './rules-nodes.js';

/** Every rule, in the order they are tried. */
export const RULES: Rule[] = [...SERVICE_RULES, ...NODE_RULES, ...NETWORK_RULES, ...DNS_REPLICA_RULES, ...DNS_RULES, ...INGRESS_RULES, ...GATEWAY_RULES];

const MAX_NEXT = 6;
/** The passing findings that show a healthy path: probes, DNS and the Service itself. */
const HEALTHY_EVIDENCE: readonly CodeFamily[] = ['clusterip', 'endpoint', 'dns', 'service'];
const STEP_ORDER = ['source', 'endpoints', 'clusterip', 'dns', 'policy', 'ingress', 'gateway'];

/** Last resort: the first failing finding by layer order, named with low confidence. */
const FIRST_FAILURE: Rule = {
  name: 'first-failure',
  why: 'No specific rule matched; the earliest failing layer in the checklist is the best lead.',
  match: (ctx) => {
    const fails = ctx.findings.filter((f) => f.status === 'fail');
    if (fails.length === 0) return undefined;
    const rank = (f: Finding) => LAYERS.indexOf(layerOf(f.code));
    const f = [...fails].sort((a, b) => rank(a) - rank(b))[0];
    return { layer: layerOf(f.code), headline: f.summary, evidence: [f], confirmed: false, next: f.next };
  },
};

function dedupe(xs: string[]): string[] {
  return [...new Set(xs.filter((x) => x.trim() !== ''))];
}

function nextCommands(c: Conclusion): string[] {
  return dedupe([...(c.next ?? []), ...c.evidence.flatMap((f) => f.next ?? [])]).slice(0, MAX_NEXT);
}

/** Confidence: high when a probe confirms, lower when a probe could not run or a read was refused. */
function confidenceOf(c: Conclusion | undefined, unknowns: Finding[]): { confidence: Confidence; notes: string[] } {
  const notes: string[] = [];
  let level = c ? (c.confirmed ? 2 : 1) : 2;
  if (c && !c.confirmed) notes.push('no live probe confirms this verdict');
  const forbidden = unknowns.filter((f) => f.forbidden === true);
  const notProbed = unknowns.filter((f) => hasCode(f, NOT_PROBED_CODES));
  if (forbidden.length > 0) {
    level -= 1;
    notes.push(...forbidden.slice(0, 3).map((f) => f.summary));
  }
  if (notProbed.length > 0 && (!c || !c.confirmed)) {
    level -= 1;
    notes.push(...notProbed.slice(0, 2).map((f) => f.summary));
  }
  const confidence: Confidence = level >= 2 ? 'high' : level === 1 ? 'medium' : 'low';
  return { confidence, notes: dedupe(notes) };
}

/** Reasons the run cannot call the path healthy, or undefined when it can. */
function inconclusiveReason(ctx: Ctx): string | undefined {
  if (ctx.has('service/unreadable')) return ctx.all('service/unreadable')[0].summary;
  const live = ctx.vip('ok').length + ctx.pod('ok').length > 0;
  if (live) return undefined;
  if (ctx.has('source/exec-failed')) {
    const summary = ctx.all('source/exec-failed')[0].summary;
    return `static checks found no fault, but nothing was probed: ${summary[0].toLowerCase()}${summary.slice(1)}`;
  }
  if (ctx.has('clusterip/not-probed', 'unknown')) {
    return `static checks found no fault, but the path was not probed: ${ctx.all('clusterip/not-probed')[0].summary}`;
  }
  if (!ctx.has('service/endpoints-ready', 'pass') && !ctx.has('service/external-name')) {
    return "the Service's endpoints could not be checked and nothing was probed";
  }
  return undefined;
}

/**
 * Next steps of an inconclusive run whose unknowns suggest none: permissions when a read was
 * forbidden; else whether the API server and an exec into the source pod answer (probes whose
 * results never arrived, reads that timed out), and --from when nothing was probed for want of it.
 */
function fallbackNext(unknowns: Finding[], facts: Facts): string[] {
  if (unknowns.some((f) => f.forbidden === true)) return ['k8snet rbac   # the permissions k8snet needs'];
  const out = [API_ANSWERING];
  if (facts.source.state === 'ok' && facts.source.value.hasShell === true) {
    const s = facts.source.value;
    out.push(
      `kubectl exec -n ${s.pod.metadata.namespace ?? '?'} ${s.pod.metadata.name} -c ${s.container} -- sh -c true   # does an exec into the source pod answer`,
    );
  } else if (!facts.request.from) {
    out.push(`k8snet diagnose ${facts.request.target.namespace}/${facts.request.target.name} --from NAMESPACE/POD   # probe the path live`);
  }
  return out;
}

function sortByStep(fs: Finding[]): Finding[] {
  return [...fs].sort((a, b) => STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step));
}

/** The diagnosis: the failing layer (or healthy / inconclusive) with evidence, confidence and next commands. */
export function diagnose(findings: Finding[], facts: Facts): Diagnosis {
  const ctx = buildCtx(findings, facts);
  const unknowns = sortByStep(findings.filter((f) => f.status === 'unknown'));
  let rule: Rule | undefined;
  let c: Conclusion | undefined;
  if (!ctx.has('service/unreadable')) {
    for (const r of [...RULES, FIRST_FAILURE]) {
      c = r.match(ctx);
      if (c) {
        rule = r;
        break;
      }
    }
  }
  if (c && rule) {
    const evidence = dedupeFindings(c.evidence);
    const warnings = sortByStep(findings.filter((f) => (f.status === 'warn' || f.status === 'fail') && !evidence.includes(f)));
    const { confidence, notes } = confidenceOf(c, unknowns);
    return {
      verdict: 'fault',
      layer: c.layer,
      headline: c.headline,
      rule: rule.name,
      confidence,
      confidenceNotes: notes,
      evidence,
      warnings,
      unknowns,
      next: nextCommands(c),
    };
  }
  const warnings = sortByStep(findings.filter((f) => f.status === 'warn'));
  const why = inconclusiveReason(ctx);
  if (why) {
    const fix = dedupe(unknowns.flatMap((f) => f.next ?? [])).slice(0, MAX_NEXT);
    return {
      verdict: 'inconclusive',
      layer: null,
      headline: `Inconclusive: ${why}`,
      rule: 'inconclusive',
      confidence: 'low',
      confidenceNotes: unknowns.slice(0, 3).map((f) => f.summary),
      evidence: [],
      warnings,
      unknowns,
      next: fix.length ? fix : fallbackNext(unknowns, ctx.facts),
    };
  }
  const { confidence, notes } = confidenceOf(undefined, unknowns);
  const live = ctx.vip('ok').length + ctx.pod('ok').length > 0;
  // UDP ports that are not DNS cannot be probed: the headline says so instead of claiming reachability
  const udp = ctx.all('clusterip/udp-not-probed');
  const svc = ctx.facts.service.state === 'ok' ? ctx.facts.service.value : undefined;
  const alias = svc?.spec.type === 'ExternalName' && ctx.facts.request.from && ctx.has('dns/resolves', 'pass') ? (svc.spec.externalName ?? '?') : undefined;
  const udpText = `UDP port${udp.length > 1 ? 's' : ''} ${udp.map((f) => f.data?.servicePort.port ?? '?').join(', ')} ${udp.length > 1 ? 'were' : 'was'} not probed (k8snet probes UDP only where it speaks DNS): reachability over UDP is unknown`;
  const passes = findings.filter((f) => f.status === 'pass' && HEALTHY_EVIDENCE.includes(familyOf(f.code))).slice(0, 6);
  return {
    verdict: 'healthy',
    layer: null,
    headline: alias
      ? `${ctx.targetName} is an ExternalName alias for ${alias}; its name resolves from ${ctx.sourceName} (k8snet does not probe what the alias points to)`
      : live
        ? `${ctx.sourceName} reaches ${ctx.targetName}: every layer checked passed${udp.length ? `; ${udpText}` : ''}`
        : udp.length && ctx.facts.request.from
          ? `${ctx.targetName}: no layer failed, but ${udpText}`
          : `${ctx.targetName} looks healthy from the API (not probed: no --from)`,
    rule: 'healthy',
    confidence: live ? confidence : confidence === 'high' ? 'medium' : confidence,
    confidenceNotes: live
      ? notes
      : [
          ...notes,
          udp.length && ctx.facts.request.from ? 'only DNS is probed over UDP; the static checks passed' : 'no probe ran; pass --from to test the path live',
        ],
    evidence: passes,
    warnings,
    unknowns,
    next: [],
  };
}

function dedupeFindings(fs: Finding[]): Finding[] {
  return [...new Set(fs)];
}
