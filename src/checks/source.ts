// Source pod resolution (precedes the five steps): which pod probes run from, and what it can run.

import type { Facts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { TOOL_NAMES } from '../model/probe.js';
import { make } from './lib/make.js';
import { execFailed } from './lib/exec-failure.js';
import { isPodReady } from '../util/pod.js';
import { notReadyReason } from './lib/pod-state.js';
import { readMessage, unreadableSentence } from './lib/read.js';

const STEP = 'source' as const;

/** True when probes cannot have run: no shell and no ephemeral debug container. */
export function sourceCannotProbe(facts: Facts): boolean {
  return facts.source.state === 'ok' && facts.source.value.hasShell === false && !facts.source.value.ephemeral;
}

/** The `kubectl debug` line that would add an ephemeral container to the source pod. */
export function ephemeralHint(facts: Facts): string {
  if (facts.source.state !== 'ok') return 'k8snet diagnose ... --ephemeral';
  const pod = facts.source.value.pod;
  const target = facts.request.from?.raw ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
  return `k8snet diagnose ${facts.request.target.namespace}/${facts.request.target.name} --from ${target} --ephemeral`;
}

/** Source: the pod was found, is Ready, has a shell and network tools. */
export function checkSource(facts: Facts): Finding[] {
  const from = facts.request.from;
  if (!from) return [];
  const read = facts.source;
  if (read.state === 'not-found') {
    return [
      make('source/not-found', STEP, 'fail', `No pod found for --from ${from.raw} in namespace ${from.namespace}`, read.message ? [read.message] : [], {
        next: [`kubectl get pods -n ${from.namespace} --show-labels`],
      }),
    ];
  }
  if (read.state !== 'ok') {
    return [
      make('source/unreadable', STEP, 'unknown', unreadableSentence(read, { verb: 'list', resource: 'pods', namespace: from.namespace }), readMessage(read), {
        forbidden: read.state === 'forbidden',
      }),
    ];
  }
  const s = read.value;
  const ns = s.pod.metadata.namespace ?? from.namespace;
  const subject = { kind: 'Pod', namespace: ns, name: s.pod.metadata.name };
  const out: Finding[] = [];
  out.push(
    make(
      'source/resolved',
      STEP,
      'pass',
      `Source pod ${ns}/${s.pod.metadata.name} (from ${s.resolvedFrom}), container ${s.container}`,
      [
        `resolved via ${s.resolvedVia}: ${s.resolvedFrom}`,
        `${s.readyCandidates} of ${s.candidates} candidate pod(s) Ready`,
        `pod IP ${s.pod.status?.podIP ?? '?'} on node ${s.pod.spec.nodeName ?? '?'}`,
      ],
      { subject },
    ),
  );
  if (!isPodReady(s.pod)) {
    out.push(make('source/not-ready', STEP, 'warn', `Source pod is not Ready: ${notReadyReason(s.pod)?.text ?? 'not Ready'}`, [], { subject }));
  }
  if (s.pod.spec.hostNetwork) {
    out.push(
      make(
        'source/host-network',
        STEP,
        'info',
        'Source pod uses the host network: its traffic leaves from the node IP, NetworkPolicy pod selectors do not match it',
        [],
        { subject },
      ),
    );
  }
  if (s.ephemeral) {
    out.push(
      make(
        'source/ephemeral',
        STEP,
        'info',
        `Probes ran in ephemeral container ${s.ephemeral.container} (${s.ephemeral.image})${s.ephemeral.reused ? ', reused' : ''}`,
        ['ephemeral containers cannot be removed; they go away with the pod'],
        { subject },
      ),
    );
  }
  const failed = execFailed(facts);
  if (sourceCannotProbe(facts)) {
    out.push(
      make(
        'source/no-shell',
        STEP,
        'unknown',
        `Container ${s.container} has no shell (distroless): ClusterIP, pod IP, DNS and Ingress probes could not run`,
        ['exec sh: not found', 'static checks (Service, endpoints, NetworkPolicy, Ingress objects) still ran'],
        { subject, next: [ephemeralHint(facts)] },
      ),
    );
  } else if (failed) {
    out.push(
      make('source/exec-failed', STEP, 'unknown', failed.summary, failed.evidence, { subject, next: failed.next, forbidden: failed.kind === 'forbidden' }),
    );
  } else if (s.tools) {
    const have = TOOL_NAMES.filter((t) => s.tools?.[t]);
    const connect = ['curl', 'wget', 'nc', 'ncexec', 'bash'].some((t) => s.tools?.[t as keyof typeof s.tools]);
    const dns = ['nslookup', 'dig', 'getent'].some((t) => s.tools?.[t as keyof typeof s.tools]);
    if (!connect || !dns) {
      const missing = [!connect ? 'connection (nc, bash, curl or wget)' : '', !dns ? 'DNS (nslookup, dig or getent)' : ''].filter(Boolean).join(' and ');
      out.push(
        make('source/no-tools', STEP, 'warn', `Container ${s.container} has no ${missing} tool`, [`tools found: ${have.join(', ') || 'none'}`], {
          subject,
          next: [ephemeralHint(facts)],
        }),
      );
    }
  }
  return out;
}
