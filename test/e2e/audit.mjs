// Reads the lab API server's audit log: the requests one user made in a time window, and any
// write among them other than the ones k8snet is allowed (exec, access reviews, --ephemeral).

import { readFileSync, existsSync } from 'node:fs';

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function allowedWrite(ev, { ephemeral }) {
  const r = ev.objectRef ?? {};
  if (ev.verb === 'create' && r.resource === 'pods' && r.subresource === 'exec') return true;
  // kubectl-style exec over websockets is audited as "get pods/exec" on some versions
  if (ev.verb === 'create' && (r.resource === 'selfsubjectrulesreviews' || r.resource === 'selfsubjectaccessreviews')) return true;
  if (ephemeral && ev.verb === 'patch' && r.resource === 'pods' && r.subresource === 'ephemeralcontainers') return true;
  return false;
}

export function auditSummary(file, user, from, to, opts) {
  if (!file || !existsSync(file)) return { requests: null, writes: [], error: `no audit log at ${file}` };
  if (!user) return { requests: null, writes: [], error: 'unknown audit user for this scenario' };
  const lo = from.getTime() - 1000;
  const hi = to.getTime() + 1000;
  let requests = 0;
  const writes = [];
  const verbs = {};
  const text = readFileSync(file, 'utf8');
  for (const line of text.split('\n')) {
    if (!line || !line.includes(user)) continue;
    let ev;
    try {
      ev = JSON.parse(line);
    } catch {
      continue;
    }
    if (ev.user?.username !== user) continue;
    if (ev.stage !== 'ResponseComplete' && ev.stage !== 'Panic') continue;
    const t = Date.parse(ev.requestReceivedTimestamp);
    if (t < lo || t > hi) continue;
    requests++;
    const key = `${ev.verb} ${ev.objectRef?.resource ?? ev.requestURI.split('?')[0]}${ev.objectRef?.subresource ? '/' + ev.objectRef.subresource : ''}`;
    verbs[key] = (verbs[key] ?? 0) + 1;
    if (WRITE_VERBS.has(ev.verb) && !allowedWrite(ev, opts)) writes.push(`${key} ${ev.requestURI}`);
  }
  return { requests, writes, verbs };
}
