// `k8snet sweep` input checks: every bad input is a clear error and exit 2, before the cluster is touched.
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { Io } from '../../../src/cli/output.js';
import { parseNamespaces } from '../../../src/cli/sweep.js';

function capture(): Io & { text: () => string } {
  let buf = '';
  return { out: (t) => void (buf += t + '\n'), err: (t) => void (buf += t + '\n'), stderrIsTty: false, stdoutIsTty: false, text: () => buf };
}
const N = ['node', 'k8snet'];
// a kubeconfig that does not exist: any test that got past validation would fail differently (exit 3)
const KC = ['--kubeconfig', '/nonexistent/k8snet-test-kubeconfig'];

describe('k8snet sweep usage errors (exit 2)', () => {
  it.each([
    [['sweep', ...KC], /sweep needs the namespaces to sweep/],
    [['sweep', 'payments', '-A', ...KC], /give namespaces or -A, not both/],
    [['sweep', 'Payments_1', ...KC], /"Payments_1" is not a valid namespace name/],
    [['sweep', 'payments', '--concurrency', '0', ...KC], /--concurrency: "0" is not a number from 1 to 16/],
    [['sweep', 'payments', '--probe-timeout', 'soon', ...KC], /--probe-timeout: "soon" is not a duration/],
    [['sweep', 'payments', '-c', 'toolbox', ...KC], /-c\/--container needs --from/],
    [['sweep', 'payments', '--from', 'orders/app in (', ...KC], /not a valid label selector/],
  ])('%j', async (args, msg) => {
    const io = capture();
    expect(await main([...N, ...args], io)).toBe(2);
    expect(io.text()).toMatch(msg);
    expect(io.text()).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('-n names the namespace when no list is given (kubectl habit): gets past validation to the kubeconfig', async () => {
    const io = capture();
    await main([...N, 'sweep', '-n', 'payments', ...KC], io);
    expect(io.text()).not.toMatch(/needs the namespaces/);
    expect(io.text()).toMatch(/k8snet-test-kubeconfig/);
  });

  it('parses and de-duplicates a namespace list', () => {
    expect(parseNamespaces('payments, orders,payments', false)).toEqual(['payments', 'orders']);
    expect(parseNamespaces(undefined, true)).toBe('all');
  });

  it('help shows the examples and the exit codes', async () => {
    const io = capture();
    expect(await main([...N, 'sweep', '--help'], io)).toBe(0);
    expect(io.text()).toMatch(/k8snet sweep payments --from orders\/orders-api/);
    expect(io.text()).toMatch(/3 a namespace or Service could not be checked/);
  });
});
