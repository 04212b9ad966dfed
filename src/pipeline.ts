// The pure half of diagnose: Facts -> findings -> diagnosis -> report. Also validates a facts file
// read by `k8snet analyze`, so a wrong or damaged file is a clear error, never a crash.

import { runChecks } from './checks/run.js';
import { diagnose } from './diagnosis/index.js';
import { UserError } from './errors.js';
import { FACTS_SCHEMA_VERSION, type Facts } from './model/facts.js';
import type { Diagnosis, Finding } from './model/finding.js';
import { buildReport, type Report } from './report/index.js';

export interface Analysis {
  findings: Finding[];
  diagnosis: Diagnosis;
  report: Report;
}

export function analyzeFacts(facts: Facts): Analysis {
  const findings = runChecks(facts);
  const diagnosis = diagnose(findings, facts);
  return { findings, diagnosis, report: buildReport(facts, findings, diagnosis) };
}

const READ_STATES = new Set(['ok', 'not-found', 'forbidden', 'timeout', 'unreachable', 'error', 'skipped']);

/** Check that a parsed JSON value has the Facts shape; throws UserError naming the first bad field. */
export function validateFacts(value: unknown, file: string): Facts {
  const bad = (field: string, why: string): never => {
    throw new UserError({
      message: `${file} is not a k8snet facts file`,
      why: `${field}: ${why}`,
      next: 'pass a file written by `k8snet diagnose --save` (format: docs/facts-format.md)',
    });
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(value)) return bad('the document', 'expected a JSON object');
  const v = value as Record<string, unknown>;
  if (v.schemaVersion !== FACTS_SCHEMA_VERSION) {
    bad('schemaVersion', `expected ${FACTS_SCHEMA_VERSION}, found ${JSON.stringify(v.schemaVersion)}`);
  }
  const read = (field: string, x: unknown, item?: (val: unknown, at: string) => void) => {
    if (!isObj(x) || typeof x.state !== 'string' || !READ_STATES.has(x.state)) {
      bad(field, 'expected a read result {state: ok|not-found|forbidden|timeout|unreachable|error|skipped, ...}');
    }
    const r = x as Record<string, unknown>;
    if (r.state === 'ok' && item) item(r.value, `${field}.value`);
  };
  const array = (val: unknown, at: string, each?: (el: unknown, at: string) => void) => {
    if (!Array.isArray(val)) bad(at, 'expected an array');
    (val as unknown[]).forEach((el, i) => each?.(el, `${at}[${i}]`));
  };
  const k8sObject = (el: unknown, at: string) => {
    if (!isObj(el) || !isObj(el.metadata) || typeof el.metadata.name !== 'string') bad(at, 'expected an object with metadata.name');
  };
  const withSpec = (el: unknown, at: string) => {
    k8sObject(el, at);
    if (!isObj((el as Record<string, unknown>).spec)) bad(`${at}.spec`, 'missing');
  };
  if (!isObj(v.request) || !isObj(v.request.target) || typeof v.request.target.name !== 'string' || typeof v.request.target.namespace !== 'string') {
    bad('request.target', 'expected {namespace, name}');
  }
  const req = v.request as Record<string, unknown>;
  if (typeof req.path !== 'string') bad('request.path', 'expected a string');
  if (typeof req.probeTimeoutMs !== 'number') bad('request.probeTimeoutMs', 'expected a number');
  array(v.access, 'access');
  read('service', v.service, withSpec);
  read('namespacePods', v.namespacePods, (x, at) => array(x, at, withSpec));
  read('endpointSlices', v.endpointSlices, (x, at) => array(x, at, k8sObject));
  read('source', v.source, (x, at) => {
    if (!isObj(x) || !isObj(x.pod)) bad(`${at}.pod`, 'missing');
    withSpec((x as Record<string, unknown>).pod, `${at}.pod`);
    if (typeof (x as Record<string, unknown>).container !== 'string') bad(`${at}.container`, 'expected a string');
  });
  read('nodes', v.nodes, (x, at) => array(x, at, k8sObject));
  array(v.probes, 'probes', (p, at) => {
    if (!isObj(p) || typeof p.id !== 'string' || typeof p.kind !== 'string' || !isObj(p.target)) bad(at, 'expected a probe {id, kind, target, ...}');
    const exec = (p as Record<string, unknown>).exec;
    if (exec !== undefined && (!isObj(exec) || typeof exec.state !== 'string' || typeof exec.stdout !== 'string' || typeof exec.stderr !== 'string')) {
      bad(`${at}.exec`, 'expected {state, exitCode, stdout, stderr, ...}');
    }
  });
  if (!isObj(v.dns)) bad('dns', 'missing');
  const dns = v.dns as Record<string, unknown>;
  read('dns.service', dns.service, withSpec);
  read('dns.endpointSlices', dns.endpointSlices, (x, at) => array(x, at, k8sObject));
  read('dns.pods', dns.pods, (x, at) => array(x, at, withSpec));
  read('namespaces', v.namespaces, (x, at) => array(x, at, k8sObject));
  if (!isObj(v.policies)) bad('policies', 'expected an object keyed by namespace');
  for (const [ns, r] of Object.entries(v.policies as Record<string, unknown>)) read(`policies.${ns}`, r, (x, at) => array(x, at, withSpec));
  read('daemonSets', v.daemonSets, (x, at) => array(x, at, k8sObject));
  if (!isObj(v.ingress)) bad('ingress', 'missing');
  const ing = v.ingress as Record<string, unknown>;
  read('ingress.ingresses', ing.ingresses, (x, at) => array(x, at, withSpec));
  read('ingress.classes', ing.classes, (x, at) => array(x, at, k8sObject));
  array(ing.controllers, 'ingress.controllers', (c, at) => {
    if (!isObj(c) || typeof c.controller !== 'string') bad(at, 'expected {controller, product, pods, services, logs}');
    const cc = c as Record<string, unknown>;
    read(`${at}.pods`, cc.pods, (x, a) => array(x, a, withSpec));
    read(`${at}.services`, cc.services, (x, a) => array(x, a, withSpec));
    array(cc.logs, `${at}.logs`, (l, a) => {
      if (!isObj(l)) bad(a, 'expected {pod, namespace, container, lines}');
      read(`${a}.lines`, (l as Record<string, unknown>).lines, (x, b) => array(x, b, (s, c2) => typeof s !== 'string' && bad(c2, 'expected a string')));
    });
  });
  array(ing.tlsSecrets, 'ingress.tlsSecrets', (s, at) => {
    if (!isObj(s)) bad(at, 'expected {namespace, name, exists}');
    read(`${at}.exists`, (s as Record<string, unknown>).exists);
  });
  if (!isObj(ing.backendServices)) bad('ingress.backendServices', 'expected an object');
  for (const [k, r] of Object.entries(ing.backendServices as Record<string, unknown>)) read(`ingress.backendServices.${k}`, r, withSpec);
  array(v.timings, 'timings');
  if (typeof v.requests !== 'number') bad('requests', 'expected a number');
  array(v.notes, 'notes', (n, at) => typeof n !== 'string' && bad(at, 'expected a string'));
  return value as unknown as Facts;
}
