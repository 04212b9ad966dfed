// For one parentRef: the Gateway exists, its GatewayClass exists and a controller accepted it, and
// that controller runs (its pods found and Ready). Returns the Gateway and controller for later checks.

import type { Facts, IngressControllerFacts } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import type { Gateway, GatewayClass, GatewayRoute } from '../../model/gateway-api.js';
import type { ParentRefN } from '../../gateway/routes.js';
import { gatewayReasonWords } from '../../gateway/reasons.js';
import { isPodReady } from '../../util/pod.js';
import { unreadableSentence } from '../lib/read.js';
import { condition, conditionText, gf, routeGetCommand, routeName, routeSubject } from './lib.js';

export interface ParentResult {
  findings: Finding[];
  gateway?: Gateway;
  gatewayClass?: GatewayClass;
  controller?: IngressControllerFacts;
  /** A fault that makes every later check of this parent moot (no Gateway, no class). */
  blocked: boolean;
}

export function checkParent(facts: Facts, route: GatewayRoute, p: ParentRefN): ParentResult {
  const gw = facts.gateway!;
  const subject = routeSubject(route);
  const read = gw.gateways[`${p.namespace}/${p.name}`];
  if (!read) return { findings: [], blocked: true };
  if (read.state === 'not-found') {
    const others = Object.entries(gw.gateways)
      .filter(([, r]) => r.state === 'ok')
      .map(([k]) => k);
    return {
      blocked: true,
      findings: [
        gf(
          'gateway/gateway-missing',
          'fail',
          `${routeName(route)} names parent Gateway ${p.namespace}/${p.name}, which does not exist: no Gateway serves this route`,
          [
            `spec.parentRefs[${p.index}]: ${p.namespace}/${p.name}${p.sectionName ? ` sectionName ${p.sectionName}` : ''}`,
            `Gateway ${p.namespace}/${p.name}: NotFound`,
            ...(others.length ? [`Gateways the other parentRefs name: ${others.join(', ')}`] : []),
          ],
          { subject, next: ['kubectl get gateways -A', routeGetCommand(route)] },
        ),
      ],
    };
  }
  if (read.state !== 'ok') {
    return {
      blocked: true,
      findings: [
        gf(
          'gateway/unreadable',
          'unknown',
          unreadableSentence(read, { verb: 'get', resource: 'gateways.gateway.networking.k8s.io', namespace: p.namespace, name: p.name }),
          read.message ? [`API: ${read.message}`] : [],
          { subject, next: ['k8snet rbac'], forbidden: read.state === 'forbidden' },
        ),
      ],
    };
  }
  const gateway = read.value;
  const gwSubject = { kind: 'Gateway', namespace: p.namespace, name: p.name };
  const className = gateway.spec.gatewayClassName;
  if (gw.classes.state !== 'ok') {
    return {
      gateway,
      blocked: false,
      findings: [
        gf(
          'gateway/unreadable',
          'unknown',
          unreadableSentence(gw.classes, { verb: 'list', resource: 'gatewayclasses.gateway.networking.k8s.io' }),
          gw.classes.state !== 'not-found' && gw.classes.message ? [`API: ${gw.classes.message}`] : [],
          { subject: gwSubject, forbidden: gw.classes.state === 'forbidden' },
        ),
      ],
    };
  }
  const cls = gw.classes.value.find((c) => c.metadata.name === className);
  if (!cls) {
    return {
      gateway,
      blocked: true,
      findings: [
        gf(
          'gateway/class-missing',
          'fail',
          `Gateway ${p.namespace}/${p.name} asks for GatewayClass "${className}", which does not exist: no controller will program it`,
          [`GatewayClasses: ${gw.classes.value.map((c) => `${c.metadata.name} (${c.spec.controllerName})`).join(', ') || 'none'}`],
          { subject: gwSubject, next: ['kubectl get gatewayclasses', `kubectl get gateway -n ${p.namespace} ${p.name} -o yaml`] },
        ),
      ],
    };
  }
  const findings: Finding[] = [];
  const accepted = condition(cls.status?.conditions, 'Accepted');
  const ctl = gw.controllers.find((c) => c.controller === cls.spec.controllerName);
  const ctlEvidence = [
    `GatewayClass ${className} spec.controllerName: ${cls.spec.controllerName}`,
    ...(accepted ? [`GatewayClass ${conditionText(accepted)}`] : ['GatewayClass has no Accepted condition']),
  ];
  // Pods first: a controller k8snet can see running (or not) is the strongest evidence.
  if (ctl && ctl.pods.state === 'ok') {
    const pods = ctl.pods.value;
    const ready = pods.filter(isPodReady);
    const lines = pods.map((x) => `${x.metadata.namespace}/${x.metadata.name} ${isPodReady(x) ? 'Ready' : 'not Ready'}`);
    if (pods.length === 0) {
      findings.push(
        gf(
          'gateway/no-controller',
          'fail',
          `No controller runs for GatewayClass ${className}: no ${ctl.product} pods found for ${cls.spec.controllerName}`,
          [...ctlEvidence, 'controller pods found: none'],
          { subject: gwSubject, next: ['kubectl get pods -A -o wide | grep -i gateway', `kubectl get gatewayclass ${className} -o yaml`] },
        ),
      );
      return { findings, gateway, gatewayClass: cls, controller: ctl, blocked: true };
    }
    if (ready.length === 0) {
      findings.push(
        gf('gateway/controller-not-ready', 'fail', `${ctl.product} controller for GatewayClass ${className} has no Ready pod`, [...ctlEvidence, ...lines], {
          subject: gwSubject,
          next: [`kubectl describe pod -n ${pods[0].metadata.namespace ?? ''} ${pods[0].metadata.name}`],
        }),
      );
      return { findings, gateway, gatewayClass: cls, controller: ctl, blocked: false };
    }
    findings.push(
      gf(
        'gateway/controller-ready',
        'pass',
        `${ctl.product} controller for GatewayClass ${className}: ${ready.length} of ${pods.length} pod(s) Ready`,
        [...ctlEvidence, ...lines],
        { subject: gwSubject },
      ),
    );
  }
  if (accepted?.status !== 'True') {
    const pending = !accepted || accepted.status === 'Unknown';
    findings.push(
      gf(
        'gateway/class-not-accepted',
        'fail',
        pending
          ? `No controller has accepted GatewayClass ${className}: nothing implementing ${cls.spec.controllerName} runs (the class still carries the CRD's default status${accepted?.reason ? ` ${accepted.reason}` : ''})`
          : `GatewayClass ${className} is not accepted by its controller: ${gatewayReasonWords(accepted.reason)}`,
        [...ctlEvidence, ...(ctl && ctl.pods.state !== 'ok' ? [`controller pods: ${ctl.pods.message ?? ctl.pods.state}`] : [])],
        {
          subject: { kind: 'GatewayClass', name: className },
          next: [`kubectl get gatewayclass ${className} -o yaml`, 'kubectl get pods -A -o wide | grep -i gateway'],
        },
      ),
    );
    return { findings, gateway, gatewayClass: cls, controller: ctl, blocked: pending };
  }
  if (ctl && ctl.pods.state !== 'ok' && ctl.pods.state !== 'skipped') {
    findings.push(
      gf(
        'gateway/unreadable',
        'unknown',
        unreadableSentence(ctl.pods, { verb: 'list', resource: 'pods' }),
        ctl.pods.message ? [`API: ${ctl.pods.message}`] : [],
        { subject: gwSubject, forbidden: ctl.pods.state === 'forbidden' },
      ),
    );
  }
  return { findings, gateway, gatewayClass: cls, controller: ctl, blocked: false };
}
