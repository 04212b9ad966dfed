// Issue 16 item 6: --probe-timeout has one limit (the probe builders' 600 s), enforced where the
// flag is parsed with a clear exit-2 error, so no probe is silently dropped later.

import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { MAX_PROBE_TIMEOUT_SEC, validateTimeout } from '../../../src/probes/validate-target.js';

async function run(args: string[]) {
  let err = '';
  const code = await main(['node', 'k8snet', ...args], { out: () => undefined, err: (t) => void (err += `${t}\n`), stderrIsTty: false, stdoutIsTty: false });
  return { code, err };
}

describe('--probe-timeout', () => {
  it.each(['601s', '11m', '60m', '3600s'])('%s is refused at parse time (exit 2, names the limit)', async (v) => {
    const r = await run(['diagnose', 'payments/payments-api', '--from', 'orders/orders-api', '--probe-timeout', v, '--kubeconfig', '/nonexistent/kc']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--probe-timeout');
    expect(r.err).toContain(`${MAX_PROBE_TIMEOUT_SEC} s`);
  });

  it.each(['600s', '10m', '1s'])('%s passes parsing (the next error is about the kubeconfig) and the probe builders accept it', async (v) => {
    const r = await run(['diagnose', 'payments/payments-api', '--from', 'orders/orders-api', '--probe-timeout', v, '--kubeconfig', '/nonexistent/kc']);
    expect(r.err).not.toContain('--probe-timeout');
    expect(r.err).toContain('kubeconfig');
    const sec = Math.max(1, Math.round(v.endsWith('m') ? Number(v.slice(0, -1)) * 60 : Number(v.slice(0, -1))));
    expect(validateTimeout(sec)).toBe(sec);
  });
});
