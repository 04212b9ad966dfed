// Part of step 5: which IngressClass an Ingress gets, and which controller (and pods) serve it.

import type { IngressControllerFacts, IngressFacts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import type { Ingress } from '../model/k8s.js';
import { make } from './lib/make.js';
import { isPodReady } from '../util/pod.js';
import { readMessage, unreadableSentence } from './lib/read.js';
import { DEFAULT_CLASS_ANNOTATION, resolveClass } from '../util/ingress-class.js';

const STEP = 'ingress' as const;

/** Class and controller findings for one Ingress; returns the controller when one serves it. */
export function checkClassAndController(ing: Ingress, facts: IngressFacts): { findings: Finding[]; controller?: IngressControllerFacts } {
  const ns = ing.metadata.namespace ?? '';
  const subject = { kind: 'Ingress', namespace: ns, name: ing.metadata.name };
  const id = `${ns}/${ing.metadata.name}`;
  if (facts.classes.state !== 'ok') {
    if (facts.classes.state === 'not-found') return { findings: [] };
    return {
      findings: [
        make(
          'ingress/unreadable',
          STEP,
          'unknown',
          unreadableSentence(facts.classes, { verb: 'list', resource: 'ingressclasses.networking.k8s.io' }),
          readMessage(facts.classes),
          { subject, forbidden: facts.classes.state === 'forbidden' },
        ),
      ],
    };
  }
  const classes = facts.classes.value;
  const r = resolveClass(ing, classes);
  const existing = classes.map((c) => `${c.metadata.name} (${c.spec.controller ?? '?'})`).join(', ') || 'none';
  if (classes.length === 0 && facts.controllers.length === 0) {
    return {
      findings: [
        make(
          'ingress/no-controller',
          STEP,
          'fail',
          `No Ingress controller is installed: Ingress ${id} is a document nothing acts on (no IngressClass, no controller pods)`,
          [`Ingress ${id} asks for class ${r.name ?? '(none)'} via ${r.via}`, 'IngressClasses in the cluster: none'],
          { subject, next: ['kubectl get ingressclasses', 'kubectl get pods -A -l app.kubernetes.io/component=controller'] },
        ),
      ],
    };
  }
  if (r.via === 'none') {
    return {
      findings: [
        make(
          'ingress/no-class',
          STEP,
          'fail',
          `Ingress ${id} names no IngressClass and no class is marked default`,
          [`IngressClasses: ${existing}`, `no class has annotation ${DEFAULT_CLASS_ANNOTATION}: "true"`],
          {
            subject,
            next: [
              `kubectl patch ingress ${ing.metadata.name} -n ${ns} --type=merge -p '{"spec":{"ingressClassName":"${classes[0]?.metadata.name ?? 'CLASS'}"}}'`,
            ],
          },
        ),
      ],
    };
  }
  if (!r.cls) {
    return {
      findings: [
        make(
          'ingress/class-not-found',
          STEP,
          'fail',
          `Ingress ${id} asks for IngressClass "${r.name}", which does not exist (classes: ${existing})`,
          [`class "${r.name}" via ${r.via}`, `IngressClasses: ${existing}`],
          {
            subject,
            next: ['kubectl get ingressclasses', `kubectl describe ingress ${ing.metadata.name} -n ${ns}`],
            data: { asked: r.name, existing: classes.map((c) => c.metadata.name) },
          },
        ),
      ],
    };
  }
  const controllerName = r.cls.spec.controller ?? '?';
  const findings: Finding[] = [
    make('ingress/class-ok', STEP, 'pass', `Ingress ${id} uses IngressClass ${r.name} (${controllerName}) via ${r.via}`, [], { subject }),
  ];
  const ctl = facts.controllers.find((c) => c.controller === controllerName);
  if (!ctl || (ctl.pods.state === 'ok' && ctl.pods.value.length === 0) || ctl.pods.state === 'not-found') {
    findings.push(
      make(
        'ingress/no-controller',
        STEP,
        'fail',
        `No controller serves IngressClass ${r.name}: no pods run ${controllerName}`,
        [`IngressClass ${r.name} spec.controller: ${controllerName}`, 'controller pods found: none'],
        { subject, next: ['kubectl get pods -A -o wide | grep -i ingress', `kubectl get ingressclass ${r.name} -o yaml`] },
      ),
    );
    return { findings };
  }
  if (ctl.pods.state !== 'ok') {
    findings.push(
      make('ingress/unreadable', STEP, 'unknown', unreadableSentence(ctl.pods, { verb: 'list', resource: 'pods' }), readMessage(ctl.pods), {
        subject,
        forbidden: ctl.pods.state === 'forbidden',
      }),
    );
    return { findings, controller: ctl };
  }
  const pods = ctl.pods.value;
  const ready = pods.filter(isPodReady);
  const lines = pods.map((p) => `${p.metadata.namespace}/${p.metadata.name} ${isPodReady(p) ? 'Ready' : 'not Ready'}`);
  if (ready.length === 0) {
    findings.push(
      make('ingress/controller-not-ready', STEP, 'fail', `${ctl.product} controller for IngressClass ${r.name} has no Ready pod`, lines, {
        subject,
        next: [`kubectl describe pod ${pods[0].metadata.name} -n ${pods[0].metadata.namespace ?? ''}`],
      }),
    );
  } else {
    findings.push(
      make('ingress/controller-ready', STEP, 'pass', `${ctl.product} controller: ${ready.length} of ${pods.length} pod(s) Ready`, lines, { subject }),
    );
  }
  return { findings, controller: ctl };
}
