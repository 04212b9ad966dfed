// Checks and diagnosis on facts captured from the lab's real Traefik Gateway with `--save`
// (test/fixtures/facts/gateway-*/facts.json, recorded by the e2e scenarios 100-109).

import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/checks/run.js';
import { diagnose } from '../../../src/diagnosis/index.js';
import { loadFacts } from '../helpers.js';

describe('Gateway API on recorded lab facts', () => {
  // Recorded by scenario 100 while another run had broken cluster DNS (SERVFAIL): the Gateway half
  // must still judge Traefik's real objects and probe as healthy, and the diagnosis must name DNS.
  it('gateway-lab-dns-servfail: every Gateway API check passes on real Traefik facts; DNS is named', () => {
    const facts = loadFacts('gateway-lab-dns-servfail');
    const findings = runChecks(facts);
    const gw = findings.filter((f) => f.step === 'gateway').map((f) => `${f.code}:${f.status}`);
    expect(gw).toEqual(
      expect.arrayContaining([
        'gateway/controller-ready:pass',
        'gateway/attached:pass',
        'gateway/gateway-ok:pass',
        'gateway/route-accepted:pass',
        'gateway/backend-ok:pass',
        'gateway/probe-ok:pass',
        'gateway/hop-allowed:pass',
      ]),
    );
    expect(gw.filter((c) => /:(fail|warn|unknown)$/.test(c))).toEqual([]);
    const d = diagnose(findings, facts);
    expect(d.layer).toBe('dns');
    // what Traefik v3.6.12 really wrote
    const route = facts.gateway!.routes[0].read;
    expect(route.state === 'ok' && route.value[0].status?.parents?.[0]?.controllerName).toBe('traefik.io/gateway-controller');
    const gwRead = facts.gateway!.gateways['traefik/lab-gateway'];
    expect(gwRead.state === 'ok' && gwRead.value.status?.addresses?.[0]).toEqual({ type: 'Hostname', value: 'traefik.traefik.svc.cluster.local' });
  });
});
