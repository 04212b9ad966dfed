// buildReport(): facts + findings + diagnosis -> the versioned Report every renderer reads.

import { titleOf, layerOf } from '../model/codes.js';
import type { Facts } from '../model/facts.js';
import type { Diagnosis, Finding, StepId } from '../model/finding.js';
import { STEP_TITLES } from '../model/finding.js';
import { REPORT_SCHEMA, type Report, type ReportFinding, type ReportProbe, type ReportStep } from './types.js';
import { worstStatus } from './status.js';
import { buildPath } from './path-model.js';

const STEPS: StepId[] = ['source', 'endpoints', 'clusterip', 'dns', 'policy', 'ingress', 'gateway'];
const MAX_OUTPUT = 400;

function trimOutput(text: string | undefined): string {
  const t = (text ?? '').trim();
  return t.length > MAX_OUTPUT ? `${t.slice(0, MAX_OUTPUT)}…` : t;
}

export function toReportFinding(f: Finding): ReportFinding {
  return { ...f, layer: layerOf(f.code) ?? null, title: titleOf(f.code) };
}

/** Timing rows whose step name matches a step id ("endpoints", "dns", ...). */
function timingFor(facts: Facts, id: StepId) {
  return facts.timings.find((t) => t.step === id);
}

function probesOf(facts: Facts): ReportProbe[] {
  return facts.probes.map((p) => ({
    id: p.id,
    label: p.label,
    tool: p.tool,
    kubectl: p.kubectl,
    state: p.exec?.state ?? 'not-run',
    exitCode: p.exec?.exitCode ?? null,
    elapsedMs: p.exec?.elapsedMs ?? null,
    stdout: trimOutput(p.exec?.stdout),
    stderr: trimOutput(p.exec?.stderr ?? p.exec?.error),
  }));
}

export function buildReport(facts: Facts, findings: Finding[], diagnosis: Diagnosis): Report {
  const steps: ReportStep[] = STEPS.filter((id) => id !== 'source' || facts.request.from)
    .filter((id) => id !== 'gateway' || facts.gateway) // facts saved before the Gateway API step
    .map((id) => {
      const fs = findings.filter((f) => f.step === id).map(toReportFinding);
      const step: ReportStep = { id, title: STEP_TITLES[id], status: worstStatus(fs.map((f) => f.status)), findings: fs };
      const timing = timingFor(facts, id);
      if (timing) step.timing = timing;
      return step;
    });
  const svc = facts.service.state === 'ok' ? facts.service.value : undefined;
  const src = facts.source.state === 'ok' ? facts.source.value : undefined;
  return {
    schema: REPORT_SCHEMA,
    k8snetVersion: facts.k8snetVersion,
    gatheredAt: facts.gatheredAt,
    context: { name: facts.context.name, cluster: facts.context.cluster },
    target: {
      namespace: facts.request.target.namespace,
      name: facts.request.target.name,
      type: svc ? (svc.spec.clusterIP === 'None' ? 'headless' : (svc.spec.type ?? 'ClusterIP')) : undefined,
      clusterIP: svc?.spec.clusterIP,
      port: facts.request.port,
      path: facts.request.path,
    },
    source: src
      ? {
          namespace: src.pod.metadata.namespace ?? facts.request.from?.namespace ?? '',
          pod: src.pod.metadata.name,
          container: src.container,
          resolvedFrom: src.resolvedFrom,
          node: src.pod.spec.nodeName,
          ephemeral: src.ephemeral ? true : undefined,
        }
      : null,
    steps,
    diagnosis,
    probes: probesOf(facts),
    timings: facts.timings,
    requests: facts.requests,
    notes: facts.notes,
    path: buildPath(facts, findings, diagnosis),
  };
}
