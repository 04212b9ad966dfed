// Why live probes did not run when the exec into the source container itself failed or got no
// answer (the API server stopped answering, the kubelet is down, the container stopped): the
// sentence, what was seen, and where to look next. Never a statement about the network path.

import type { Facts } from '../../model/facts.js';
import { execDenied } from './exec-access.js';
import { API_ANSWERING } from './read.js';

export interface ExecFailed {
  summary: string;
  /** The cause in a few words, for the findings of the steps that could not probe. */
  short: string;
  evidence: string[];
  next: string[];
  /** What did not answer: the API server or the kubelet behind it (timeout, unreachable), else the pod. */
  kind: 'no-answer' | 'kubelet-unreachable' | 'container-not-running' | 'forbidden' | 'other';
}

/** Set when the source container's inspection exec did not complete, so no command could run there. */
export function execFailed(facts: Facts): ExecFailed | undefined {
  if (facts.source.state !== 'ok') return undefined;
  const s = facts.source.value;
  const failure = s.inspection;
  if (!failure || s.tools) return undefined;
  const ns = s.pod.metadata.namespace ?? facts.request.from?.namespace ?? '?';
  const pod = s.pod.metadata.name;
  const node = s.pod.spec.nodeName;
  const where = `the exec into ${ns}/${pod} (container ${s.container})`;
  const onNode = node ? ` on node ${node}` : '';
  const evidence: string[] = [];
  if (failure.error) evidence.push(`exec: ${failure.error}`);
  const nodeReady = node ? readyCondition(facts, node) : undefined;
  // through the API server to the kubelet, whatever the container holds (no shell or `true` needed)
  const kubelet = node ? [`kubectl get --raw /api/v1/nodes/${node}/proxy/healthz   # does the API server reach the kubelet (needs get nodes/proxy)`] : [];
  const describeNode = node ? [`kubectl describe node ${node}   # conditions and the kubelet's last heartbeat`] : [];
  if (failure.state === 'timeout') {
    evidence.unshift(`no answer within ${seconds(failure.elapsedMs)}: the API server, or the kubelet${onNode} it forwards the exec to, did not answer in time`);
    if (nodeReady) evidence.push(nodeReady);
    return {
      kind: 'no-answer',
      short: 'the exec into the source pod got no answer',
      summary: `Commands could not run in the source pod: ${where} got no answer within ${seconds(failure.elapsedMs)}`,
      evidence,
      next: [API_ANSWERING, ...kubelet, ...describeNode],
    };
  }
  if (failure.errorKind === 'unreachable') {
    if (nodeReady) evidence.push(nodeReady);
    return {
      kind: 'kubelet-unreachable',
      short: `the kubelet${onNode} could not be reached`,
      summary: `Commands could not run in the source pod: the API server could not reach the kubelet${onNode} to exec into ${ns}/${pod}`,
      evidence,
      next: [...describeNode, ...kubelet, ...(node ? [`systemctl status kubelet; journalctl -u kubelet --since -10m   # on node ${node}`] : [])],
    };
  }
  if (failure.errorKind === 'container-not-running') {
    return {
      kind: 'container-not-running',
      short: `container ${s.container} is not running`,
      summary: `Commands could not run in the source pod: container ${s.container} of ${ns}/${pod} is not running`,
      evidence,
      next: [`kubectl describe pod -n ${ns} ${pod}`, `kubectl logs -n ${ns} ${pod} -c ${s.container} --previous --tail=50`],
    };
  }
  if (failure.errorKind === 'forbidden') {
    return {
      kind: 'forbidden',
      short: 'the API server refused the exec',
      summary: `Commands could not run in the source pod: the API server refused ${where}`,
      evidence,
      next: [`kubectl auth can-i create pods/exec -n ${ns}`, 'k8snet rbac   # the permissions k8snet needs'],
    };
  }
  return {
    kind: 'other',
    short: 'the exec into the source pod failed',
    summary: `Commands could not run in the source pod: ${where} failed`,
    evidence,
    next: [...kubelet, ...describeNode],
  };
}

/** What the source node reports as Ready: a node that still says True may carry a stale status. */
function readyCondition(facts: Facts, node: string): string | undefined {
  if (facts.nodes.state !== 'ok') return undefined;
  const n = facts.nodes.value.find((x) => x.metadata.name === node);
  const ready = n?.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return undefined;
  if (ready.status === 'True') {
    return `node ${node} still reports Ready: a kubelet that stopped recently keeps that status until the node controller's grace period (40 s by default) runs out`;
  }
  return `node ${node} reports Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Why no probe ran from the source pod, when the reason is known: exec is not allowed, or the exec
 * itself failed. The evidence of a denial is gathering's notes (as before); of a failure, what it saw.
 */
export function whyNotProbed(facts: Facts, what: string): { summary: string; evidence: string[]; next: string[] } | undefined {
  const denied = execDenied(facts);
  if (denied) return { summary: `${denied.summary}: ${what} not probed`, evidence: facts.notes.slice(0, 3), next: denied.next };
  const failed = execFailed(facts);
  if (!failed) return undefined;
  const phrase = `${what} not probed: ${failed.short} (see the source pod's finding)`;
  return { summary: phrase[0].toUpperCase() + phrase.slice(1), evidence: [], next: failed.next };
}
