// The Gateway itself: Accepted and Programmed conditions (with the reason in words), its addresses,
// and for the listeners a route uses, their conditions and attachedRoutes.

import type { Finding } from '../../model/finding.js';
import type { Gateway, Listener } from '../../model/gateway-api.js';
import { gatewayReasonWords } from '../../gateway/reasons.js';
import { condition, conditionText, gf } from './lib.js';

/** Listener conditions that mean trouble when they have this status. */
const BAD: Record<string, string> = { Accepted: 'False', ResolvedRefs: 'False', Programmed: 'False', Conflicted: 'True' };

export function checkGatewayStatus(gateway: Gateway, used: Listener[]): Finding[] {
  const ns = gateway.metadata.namespace ?? 'default';
  const id = `${ns}/${gateway.metadata.name}`;
  const subject = { kind: 'Gateway', namespace: ns, name: gateway.metadata.name };
  const next = [`kubectl get gateway -n ${ns} ${gateway.metadata.name} -o yaml`];
  const conds = gateway.status?.conditions ?? [];
  const out: Finding[] = [];
  const accepted = condition(conds, 'Accepted');
  const programmed = condition(conds, 'Programmed');
  const addresses = (gateway.status?.addresses ?? []).map((a) => `${a.type ?? 'IPAddress'} ${a.value}`);
  const listenerStatus = (gateway.status?.listeners ?? []).map((l) => `listener ${l.name}: attachedRoutes ${l.attachedRoutes}`);
  const gen = gateway.metadata.generation;
  const stale = [accepted, programmed].some((c) => c?.observedGeneration !== undefined && gen !== undefined && c.observedGeneration < gen);
  const evidence = [
    ...conds.map(conditionText),
    ...(addresses.length ? [`addresses: ${addresses.join(', ')}`] : []),
    ...listenerStatus,
    ...(stale ? [`generation ${gen}: the conditions are older than the Gateway's spec`] : []),
  ];
  if (conds.length === 0) {
    out.push(
      gf('gateway/gateway-no-status', 'warn', `Gateway ${id} has no status conditions: its controller has not reported on it`, evidence, { subject, next }),
    );
    return out;
  }
  if (accepted?.status !== 'True') {
    out.push(gf('gateway/gateway-not-accepted', 'fail', `Gateway ${id} is not Accepted: ${gatewayReasonWords(accepted?.reason)}`, evidence, { subject, next }));
  } else if (programmed?.status !== 'True') {
    out.push(
      gf('gateway/gateway-not-programmed', 'fail', `Gateway ${id} is Accepted but not Programmed: ${gatewayReasonWords(programmed?.reason)}`, evidence, {
        subject,
        next,
      }),
    );
  } else {
    out.push(
      gf(
        'gateway/gateway-ok',
        'pass',
        `Gateway ${id} is Accepted and Programmed${addresses.length ? ` at ${addresses.map((a) => a.split(' ')[1]).join(', ')}` : ''}`,
        evidence,
        { subject },
      ),
    );
  }
  if (addresses.length === 0) {
    out.push(
      gf(
        'gateway/gateway-no-address',
        'info',
        `Gateway ${id} lists no address in status.addresses: clients cannot learn where it listens from the Gateway (k8snet probes its data-plane Service or pods)`,
        [],
        { subject },
      ),
    );
  }
  for (const l of used) {
    const ls = gateway.status?.listeners?.find((x) => x.name === l.name);
    const bad = (ls?.conditions ?? []).filter((c) => BAD[c.type] === c.status);
    if (bad.length > 0) {
      out.push(
        gf(
          'gateway/listener-invalid',
          'fail',
          `Listener ${l.name} of Gateway ${id} (${l.protocol} ${l.port}) reports ${bad.map((c) => `${c.type}=${c.status}: ${gatewayReasonWords(c.reason)}`).join('; ')}`,
          bad.map(conditionText),
          { subject, next },
        ),
      );
    }
  }
  return out;
}
