// Issue 16 item 12: kube-dns without endpoints while the CoreDNS pods run and are Ready (the
// Service's selector does not match them): the near-miss analysis runs on kube-dns itself, and no
// headline claims "no CoreDNS pod answers" - nothing probed the pods.

import { describe, expect, it } from 'vitest';
import { analyzeFacts } from '../../../src/pipeline.js';
import { loadFacts } from '../helpers.js';

function selectorTypo() {
  const f = loadFacts('healthy');
  if (f.dns.service.state === 'ok') f.dns.service.value.spec.selector = { 'k8s-app': 'kube-dnss' };
  if (f.dns.endpointSlices.state === 'ok') f.dns.endpointSlices.value = f.dns.endpointSlices.value.map((s) => ({ ...s, endpoints: [] }));
  return f;
}

describe('kube-dns selector matches no CoreDNS pod', () => {
  it('the finding names the selector and the near miss, and claims nothing about answers', () => {
    const f = selectorTypo();
    const pods = f.dns.pods.state === 'ok' ? f.dns.pods.value : [];
    expect(pods.length).toBeGreaterThan(0);
    const { findings, diagnosis } = analyzeFacts(f);
    const ne = findings.find((x) => x.code === 'dns/kube-dns-no-endpoints')!;
    expect(ne.status).toBe('fail');
    expect(ne.summary).toMatch(/selector k8s-app=kube-dnss matches none of the \d+ CoreDNS pod/);
    expect(ne.summary).toMatch(/has k8s-app=kube-dns/);
    for (const text of [ne.summary, diagnosis.headline]) expect(text).not.toMatch(/no CoreDNS pod answers/);
  });

  it('CoreDNS scaled to zero: says no CoreDNS pods exist (what the objects show)', () => {
    const f = loadFacts('coredns-down');
    const { findings, diagnosis } = analyzeFacts(f);
    const ne = findings.find((x) => x.code === 'dns/kube-dns-no-endpoints');
    expect(ne?.summary ?? '').not.toMatch(/no CoreDNS pod answers/);
    expect(diagnosis.headline).not.toMatch(/no CoreDNS pod answers/);
    expect(diagnosis.layer).toBe('dns');
  });
});
