// Waits (bounded) until every node's kube-proxy has programmed each Service that has ready endpoints:
// a ClusterIP rule per Service port, and a rule per ready endpoint address. A scenario that has just
// created a Service otherwise races kube-proxy, and a healthy path reads as "ClusterIP times out".
// Scenarios that stop kube-proxy on purpose opt out with "wait": {"proxy": false}.

import { spawnSync } from 'node:child_process';

function run(cmd, argv, env) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20000, maxBuffer: 64 << 20 });
  return r.status === 0 ? r.stdout : undefined;
}

/** The rules still missing, as readable strings; [] when every node has every rule. Pure. */
export function missingProxyRules(services, slices, rulesText) {
  const nodes = [];
  for (const block of rulesText.split(/^# node /m).slice(1)) {
    const nl = block.indexOf('\n');
    nodes.push({ name: block.slice(0, nl).trim(), lines: block.slice(nl + 1).split('\n') });
  }
  const missing = [];
  for (const svc of services) {
    const ns = svc.metadata.namespace;
    const name = svc.metadata.name;
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName') continue;
    const mine = slices.filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === name && s.addressType === 'IPv4');
    const ready = mine.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready === true).flatMap((e) => e.addresses ?? []));
    if (ready.length === 0) continue;
    for (const node of nodes) {
      for (const p of svc.spec.ports ?? []) {
        const proto = (p.protocol ?? 'TCP').toLowerCase();
        const ok = node.lines.some(
          (l) =>
            l.startsWith('-A KUBE-SERVICES ') &&
            l.includes(`-d ${ip}/32 `) &&
            l.includes(`-p ${proto} `) &&
            l.includes(`--dport ${p.port} `) &&
            l.includes('-j KUBE-SVC-'),
        );
        if (!ok) missing.push(`${node.name}: ${ns}/${name} ClusterIP ${ip}:${p.port}/${proto}`);
      }
      for (const addr of new Set(ready)) {
        const ok = node.lines.some((l) => l.startsWith('-A KUBE-SEP-') && l.includes(`-s ${addr}/32 `) && l.includes(`--comment "${ns}/${name}`));
        if (!ok) missing.push(`${node.name}: ${ns}/${name} endpoint ${addr}`);
      }
    }
  }
  return missing;
}

/** Polls until nothing is missing or `limitMs` passes; returns what was still missing (or why it could not tell). */
export async function waitProxySynced({ kubectl, kubeconfig, lab, limitMs = 20000 }) {
  const end = Date.now() + limitMs;
  let last = ['not checked'];
  while (Date.now() < end) {
    const svcs = run(kubectl, ['get', 'services', '-A', '-o', 'json'], { KUBECONFIG: kubeconfig });
    const eps = run(kubectl, ['get', 'endpointslices', '-A', '-o', 'json'], { KUBECONFIG: kubeconfig });
    const rules = run('bash', [lab, 'proxy-rules'], {});
    if (svcs && eps && rules) {
      last = missingProxyRules(JSON.parse(svcs).items, JSON.parse(eps).items, rules);
      if (last.length === 0) return [];
    } else {
      last = ["could not read Services, EndpointSlices or the nodes' nat tables"];
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}
