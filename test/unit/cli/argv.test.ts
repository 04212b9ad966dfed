// kubectl habits: global flags before the subcommand, pflag's -n=NS; and the plugin's program name.
import { describe, expect, it } from 'vitest';
import { normalizeArgv } from '../../../src/cli/argv.js';
import { main } from '../../../src/cli/main.js';
import type { Io } from '../../../src/cli/output.js';

const N = ['node', 'k8snet'];

describe('normalizeArgv', () => {
  it.each([
    [
      ['diagnose', 'a/b'],
      ['diagnose', 'a/b'],
    ],
    [
      ['--context', 'lab', 'diagnose', 'a/b'],
      ['diagnose', '--context', 'lab', 'a/b'],
    ],
    [
      ['-n', 'payments', '--kubeconfig', '/k', 'diagnose', 'api'],
      ['diagnose', '-n', 'payments', '--kubeconfig', '/k', 'api'],
    ],
    [
      ['--namespace=payments', 'policy', 'a', 'b'],
      ['policy', '--namespace=payments', 'a', 'b'],
    ],
    [
      ['-n=payments', 'diagnose', 'api'],
      ['diagnose', '-n', 'payments', 'api'],
    ],
    [
      ['diagnose', 'api', '-n=payments'],
      ['diagnose', 'api', '-n', 'payments'],
    ],
    // an unknown flag first stops the scan: commander reports it
    [
      ['--bogus', '--context', 'x', 'diagnose'],
      ['--bogus', '--context', 'x', 'diagnose'],
    ],
    // a value-less trailing flag is left for commander's "argument missing" error
    [['--context'], ['--context']],
    [
      ['--context', 'x'],
      ['--context', 'x'],
    ],
    [['--version'], ['--version']],
  ])('%j -> %j', (input, want) => {
    expect(normalizeArgv([...N, ...input])).toEqual([...N, ...want]);
  });
});

function capture(): Io & { text: () => string } {
  let buf = '';
  return { out: (t) => void (buf += t + '\n'), err: (t) => void (buf += t + '\n'), stderrIsTty: false, stdoutIsTty: false, text: () => buf };
}

describe('main as the kubectl plugin', () => {
  it('names itself "kubectl k8snet" in help and examples', async () => {
    const io = capture();
    expect(await main([...N, 'diagnose', '--help'], io, { name: 'kubectl k8snet' })).toBe(0);
    expect(io.text()).toContain('Usage: kubectl k8snet diagnose');
    expect(io.text()).toContain('  kubectl k8snet diagnose payments/payments-api --from orders/orders-api');
    expect(io.text()).not.toMatch(/^ {2}k8snet /m);
  });
  it('accepts the global flags before the subcommand (validated like after it)', async () => {
    const io = capture();
    // a bad namespace before the subcommand is refused by diagnose's own validation: exit 2, before any cluster access
    expect(await main([...N, '-n', 'Bad_NS', 'diagnose', 'api', '--from', 'orders/x'], io)).toBe(2);
    expect(io.text()).toContain('-n/--namespace: "Bad_NS" is not a valid namespace name');
  });
  it('a global flag before a command without it is a usage error, not ignored', async () => {
    const io = capture();
    expect(await main([...N, '--context', 'lab', 'analyze', 'x.json'], io)).toBe(2);
    expect(io.text()).toContain("unknown option '--context'");
  });
});
