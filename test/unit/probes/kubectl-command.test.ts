// kubectlCommand: the paste-able line, quoted so a POSIX shell returns the argv unchanged.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { kubectlCommand, shellQuote } from '../../../src/probes/index.js';
import { allRecorded } from './recorded.js';

const QUOTE: [string, string][] = [
  ['curl', 'curl'],
  ['http://10.96.0.1:80/', 'http://10.96.0.1:80/'],
  ['%{http_code} %{num_connects}', "'%{http_code} %{num_connects}'"],
  ['*', "'*'"],
  ["it's", "'it'\\''s'"],
  ['', "''"],
  ['$(id)', "'$(id)'"],
];

describe('shellQuote', () => {
  it.each(QUOTE)('%j -> %s', (word, quoted) => expect(shellQuote(word)).toBe(quoted));
});

describe('kubectlCommand', () => {
  it('renders the exec', () => {
    expect(kubectlCommand({ namespace: 'payments', pod: 'api-6f7c', container: 'app', argv: ['nc', '-v', '-z', '-w', '2', '10.96.0.20', '5432'] })).toBe(
      'kubectl exec -n payments api-6f7c -c app -- nc -v -z -w 2 10.96.0.20 5432',
    );
  });

  // Every recorded argv (including the detection script with its quotes and $t) survives a real sh.
  it.each(allRecorded())('%s round-trips through sh', (_name, r) => {
    const argv = r.probe.exec!.argv;
    const line = kubectlCommand({ namespace: 'ns', pod: 'p', container: 'c', argv });
    const res = spawnSync('sh', ['-c', `kubectl() { printf '%s\\0' "$@"; }\n${line}`], { encoding: 'utf8' });
    expect(res.stdout.split('\0').slice(0, -1)).toEqual(['exec', '-n', 'ns', 'p', '-c', 'c', '--', ...argv]);
  });
});
