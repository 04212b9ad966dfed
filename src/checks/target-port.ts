// Part of step 1: does each Service port's targetPort resolve on the selected pods (name, number, protocol)?

import type { Facts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import type { Pod, Service, ServicePort } from '../model/k8s.js';
import { make } from './lib/make.js';
import { declaredPorts, describeServicePort, resolveTargetPort, targetPortOf } from './lib/service-ports.js';

const STEP = 'endpoints' as const;

function declaredList(pod: Pod): string {
  const d = declaredPorts(pod).map((h) => `${h.port.name ? `${h.port.name}=` : ''}${h.port.containerPort}/${h.port.protocol ?? 'TCP'}`);
  return d.length ? d.join(', ') : 'no ports';
}

/** Named targetPorts must be declared by every selected pod; numeric ones need not be (the app may still listen). */
export function checkTargetPorts(facts: Facts, svc: Service, ports: ServicePort[], pods: Pod[]): Finding[] {
  const ns = facts.request.target.namespace;
  const subject = { kind: 'Service', namespace: ns, name: svc.metadata.name };
  const findings: Finding[] = [];
  const okLines: string[] = [];
  for (const p of ports) {
    const target = targetPortOf(p);
    const named = typeof target === 'string' && !/^\d+$/.test(target);
    const unresolved = pods.filter((pod) => resolveTargetPort(pod, target).port === undefined);
    if (named && unresolved.length > 0) {
      const first = unresolved[0];
      findings.push(
        make(
          'service/target-port-unresolved',
          STEP,
          'fail',
          `targetPort "${target}" of Service port ${p.port} is not declared by pod ${first.metadata.name}${unresolved.length > 1 ? ` and ${unresolved.length - 1} other(s)` : ''}`,
          [`Service port ${describeServicePort(p)}`, ...unresolved.slice(0, 5).map((pod) => `pod ${pod.metadata.name} declares ${declaredList(pod)}`)],
          {
            subject,
            next: [`kubectl get pod ${first.metadata.name} -n ${ns} -o jsonpath='{.spec.containers[*].ports}'`],
            data: { port: p.port, targetPort: target },
          },
        ),
      );
      continue;
    }
    const hits = pods.map((pod) => ({ pod, r: resolveTargetPort(pod, target, p.protocol ?? 'TCP') }));
    if (!named && hits.every((h) => !h.r.hit)) {
      const first = pods[0];
      findings.push(
        make(
          'service/target-port-undeclared',
          STEP,
          'warn',
          `targetPort ${target} of Service port ${p.port} is not declared by any container (the app may still listen on it)`,
          [`Service port ${describeServicePort(p)}`, `pod ${first.metadata.name} declares ${declaredList(first)}`],
          { subject, data: { port: p.port, targetPort: target, declaredBy: { pod: first.metadata.name, ports: declaredList(first) } } },
        ),
      );
      continue;
    }
    const svcProto = p.protocol ?? 'TCP';
    const mismatch = hits.find((h) => h.r.hit && (h.r.hit.port.protocol ?? 'TCP') !== svcProto);
    if (mismatch?.r.hit) {
      findings.push(
        make(
          'service/protocol-mismatch',
          STEP,
          'warn',
          `Service port ${p.port} is ${svcProto} but container port ${mismatch.r.hit.port.containerPort} of ${mismatch.pod.metadata.name} is ${mismatch.r.hit.port.protocol ?? 'TCP'}`,
          [`Service port ${describeServicePort(p)}`, `pod ${mismatch.pod.metadata.name} declares ${declaredList(mismatch.pod)}`],
          { subject },
        ),
      );
      continue;
    }
    const resolved = hits.find((h) => h.r.port !== undefined);
    okLines.push(
      `Service port ${describeServicePort(p)} resolves to container port ${resolved?.r.port}${resolved?.r.hit ? ` (${resolved.r.hit.container})` : ''}`,
    );
  }
  if (okLines.length > 0 && findings.length === 0) {
    findings.push(make('service/target-port-ok', STEP, 'pass', okLines[0], okLines, { subject }));
  }
  return findings;
}
