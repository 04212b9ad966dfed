// Issue 16 item 13 (part): never name a layer below one that was not evaluated. When NetworkPolicy
// could not be evaluated, timeouts are not blamed on the pod network.

import { describe, expect, it } from 'vitest';
import { analyzeFacts } from '../../../src/pipeline.js';
import { loadFacts } from '../helpers.js';

describe('pod network is not named when NetworkPolicy was not evaluated', () => {
  it('pod-network-broken with unreadable policies: not pod-network', () => {
    const f = loadFacts('pod-network-broken');
    expect(analyzeFacts(loadFacts('pod-network-broken')).diagnosis.layer).toBe('pod-network');
    for (const ns of Object.keys(f.policies)) f.policies[ns] = { state: 'forbidden', message: `networkpolicies is forbidden in ${ns}` };
    const { diagnosis, findings } = analyzeFacts(f);
    expect(findings.some((x) => x.step === 'policy' && x.status === 'unknown')).toBe(true);
    expect(diagnosis.layer).not.toBe('pod-network');
    expect(diagnosis.headline).not.toMatch(/below NetworkPolicy/);
  });
});
