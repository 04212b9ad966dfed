// Reading a pod's readiness and the reason it is not Ready, from its conditions and container statuses.

import type { NotReadyKind } from '../../model/finding-data.js';
import type { Container, ContainerStatus, Pod } from '../../model/k8s.js';

import { isPodReady, isTerminating } from '../../util/pod.js';

export type { NotReadyKind } from '../../model/finding-data.js';

export interface NotReadyReason {
  kind: NotReadyKind;
  /** One line, e.g. "container app: CrashLoopBackOff (back-off 5m0s restarting failed container)". */
  text: string;
}

function describeProbe(c: Container | undefined): string {
  const p = c?.readinessProbe;
  if (!p) return 'readiness probe';
  if (p.httpGet) return `readiness probe GET ${p.httpGet.path ?? '/'} on port ${p.httpGet.port}`;
  if (p.tcpSocket) return `readiness probe TCP port ${p.tcpSocket.port}`;
  if (p.exec) return `readiness probe exec ${(p.exec.command ?? []).join(' ')}`;
  if (p.grpc) return `readiness probe gRPC port ${p.grpc.port}`;
  return 'readiness probe';
}

function waitingReason(cs: ContainerStatus): NotReadyReason | undefined {
  const w = cs.state?.waiting;
  if (!w?.reason) return undefined;
  const msg = w.message ? ` (${w.message})` : '';
  if (w.reason === 'CrashLoopBackOff') {
    const last = cs.lastState?.terminated;
    const exit = last ? `, last exit code ${last.exitCode ?? '?'}${last.reason ? ` ${last.reason}` : ''}` : '';
    return { kind: 'crashloop', text: `container ${cs.name}: CrashLoopBackOff, ${cs.restartCount} restarts${exit}` };
  }
  if (/ImagePull|ErrImage|InvalidImageName/.test(w.reason)) {
    return { kind: 'image-pull', text: `container ${cs.name}: ${w.reason}${msg}` };
  }
  return { kind: 'not-ready', text: `container ${cs.name}: waiting, ${w.reason}${msg}` };
}

/** Why a pod is not Ready, most specific first; undefined when it is Ready. */
export function notReadyReason(pod: Pod): NotReadyReason | undefined {
  if (isPodReady(pod) && !isTerminating(pod)) return undefined;
  if (isTerminating(pod)) return { kind: 'terminating', text: `terminating since ${pod.metadata.deletionTimestamp}` };
  const phase = pod.status?.phase;
  const conds = pod.status?.conditions ?? [];
  if (phase === 'Pending') {
    const sched = conds.find((c) => c.type === 'PodScheduled');
    if (sched && sched.status !== 'True') {
      return { kind: 'pending', text: `Pending, not scheduled: ${sched.reason ?? ''}${sched.message ? ` — ${sched.message}` : ''}`.trim() };
    }
  }
  if (phase === 'Failed' || phase === 'Succeeded') {
    return { kind: 'failed', text: `phase ${phase}${pod.status?.reason ? `: ${pod.status.reason}` : ''}` };
  }
  for (const cs of pod.status?.containerStatuses ?? []) {
    const w = waitingReason(cs);
    if (w) return w;
  }
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (!cs.ready && cs.state?.running) {
      const c = pod.spec.containers.find((x) => x.name === cs.name);
      const readyCond = conds.find((x) => x.type === 'ContainersReady' || x.type === 'Ready');
      const why = readyCond?.message ? ` (${readyCond.message})` : '';
      return { kind: 'readiness-probe', text: `container ${cs.name} running but failing its ${describeProbe(c)}${why}` };
    }
  }
  if (phase === 'Pending') return { kind: 'pending', text: 'Pending' };
  const ready = conds.find((c) => c.type === 'Ready');
  return { kind: 'not-ready', text: `Ready=${ready?.status ?? 'Unknown'}${ready?.message ? `: ${ready.message}` : ''}` };
}
