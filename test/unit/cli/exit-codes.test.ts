// Every exit code the CLI documents (README "Output and exit codes", src/cli/exit-codes.ts), through
// main() in-process with no cluster: 0 healthy / allowed, 1 fault / denied, 2 usage error, 3 could
// not check or inconclusive, 4 a bug in k8snet. Each case checks what reaches stdout and stderr, and
// that no stack trace does (only --debug prints one).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { main } from '../../../src/cli/main.js';
import type { Io } from '../../../src/cli/output.js';
import { VERSION } from '../../../src/version.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-exit-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
/** A hand-made facts fixture (test/fixtures/facts, synthetic situations). */
const facts = (situation: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'facts', situation, 'facts.json');

/** A stack frame line as Node prints it ("    at fn (file.js:1:2)"). */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

async function run(args: string[], io: Partial<Io> = {}) {
  let out = '';
  let err = '';
  const code = await main(['node', 'k8snet', ...args], {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    stderrIsTty: false,
    stdoutIsTty: false,
    ...io,
  });
  return { code, out, err };
}

/** An expected error: `error:` then `why:` and `next:` lines (three parts), on stderr only. */
function expectThreePartError(r: { out: string; err: string }, message: RegExp) {
  expect(r.err).toMatch(/^error: /);
  expect(r.err).toMatch(message);
  expect(r.err).toMatch(/^ {2}why: {2}\S/m);
  expect(r.err).toMatch(/^ {2}next: \S/m);
  expect(r.out).toBe('');
  expect(r.err).not.toMatch(STACK_FRAME);
}

describe('exit 0: healthy, allowed, or an informational command', () => {
  it('--version prints the version on stdout', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out.trim()).toBe(VERSION);
    expect(r.err).toBe('');
  });

  it('analyze of a healthy saved facts file: verdict healthy on stdout, nothing on stderr', async () => {
    const r = await run(['analyze', facts('healthy'), '-o', 'json']);
    expect(r.code).toBe(EXIT.ok);
    expect((JSON.parse(r.out) as { diagnosis: { verdict: string } }).diagnosis.verdict).toBe('healthy');
    expect(r.err).toBe('');
  });

  it('policy --manifests of an allowed flow', async () => {
    const r = await run(['policy', 'a/x', 'a/y', '--port', '80', '--manifests', file('allowed.yaml', WORLD), '-o', 'json']);
    expect(r.code).toBe(EXIT.ok);
    expect((JSON.parse(r.out) as { allowed: boolean }).allowed).toBe(true);
    expect(r.err).toBe('');
  });
});

describe('exit 1: a fault diagnosed, or a flow denied', () => {
  it('analyze of a saved fault (the Service selector matches no pods): verdict fault, layer service', async () => {
    const r = await run(['analyze', facts('selector-typo'), '-o', 'json']);
    expect(r.code).toBe(EXIT.fault);
    const d = (JSON.parse(r.out) as { diagnosis: { verdict: string; layer: string } }).diagnosis;
    expect(d).toMatchObject({ verdict: 'fault', layer: 'service' });
    expect(r.err).toBe('');
  });

  it('policy --manifests of a flow a deny-all policy denies', async () => {
    const r = await run(['policy', 'a/x', 'a/y', '--port', '80', '--manifests', file('denied.yaml', `${WORLD}---\n${DENY_ALL}`), '-o', 'json']);
    expect(r.code).toBe(EXIT.fault);
    expect((JSON.parse(r.out) as { allowed: boolean }).allowed).toBe(false);
    expect(r.err).toBe('');
  });
});

describe('exit 2: usage errors, named on stderr without a stack trace', () => {
  it('no arguments: the help on stdout', async () => {
    const r = await run([]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.out).toMatch(/^Usage: k8snet/);
    expect(r.err).not.toMatch(STACK_FRAME);
  });

  it.each([
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown option', ['diagnose', 'a/b', '--bogus'], /unknown option '--bogus'/],
  ])('%s', async (_what, args, message) => {
    const r = await run(args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/--help/);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(STACK_FRAME);
  });

  it('an invalid target name', async () => {
    const r = await run(['diagnose', 'Bad_NS/x']);
    expect(r.code).toBe(EXIT.usage);
    expectThreePartError(r, /"Bad_NS" is not a valid namespace name/);
  });

  it('a --kubeconfig file that does not exist', async () => {
    const r = await run(['diagnose', 'payments/payments-api', '--kubeconfig', path.join(dir, 'no-such-kubeconfig')]);
    expect(r.code).toBe(EXIT.usage);
    expectThreePartError(r, /kubeconfig file .*no-such-kubeconfig does not exist/);
  });

  it('a --kubeconfig file that does not parse', async () => {
    const kc = file('broken-kubeconfig.yaml', 'apiVersion: v1\nkind: Config\nclusters: [ {{{\n');
    const r = await run(['diagnose', 'payments/payments-api', '--kubeconfig', kc]);
    expect(r.code).toBe(EXIT.usage);
    expectThreePartError(r, /could not read kubeconfig .*broken-kubeconfig\.yaml/);
    expect(r.err).toMatch(/does not parse/);
  });

  it.each([
    ['a facts file that does not exist', () => path.join(dir, 'missing.json'), /cannot read facts file/],
    ['a facts file that is not JSON', () => file('not-json.json', 'hello'), /is not valid JSON/],
    ['a JSON file that is not a facts file', () => file('not-facts.json', '{"a":1}'), /is not a k8snet facts file/],
  ])('analyze of %s', async (_what, make, message) => {
    const r = await run(['analyze', make()]);
    expect(r.code).toBe(EXIT.usage);
    expectThreePartError(r, message);
  });
});

describe('exit 3: the cluster could not be checked, or too little could be', () => {
  it('analyze of saved facts whose reads were forbidden: inconclusive', async () => {
    const r = await run(['analyze', facts('forbidden-reads'), '-o', 'json']);
    expect(r.code).toBe(EXIT.cluster);
    expect((JSON.parse(r.out) as { diagnosis: { verdict: string } }).diagnosis.verdict).toBe('inconclusive');
    expect(r.err).toBe('');
  });

  it('an API server that refuses the connection (a closed port on loopback)', async () => {
    // a port that was just free on 127.0.0.1: nothing listens there any more
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const kc = file(
      'refused-kubeconfig.yaml',
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:${port}"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
    );
    const r = await run(['diagnose', 'payments/payments-api', '--kubeconfig', kc, '--timeout', '10s']);
    expect(r.code).toBe(EXIT.cluster);
    expectThreePartError(r, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });
});

describe('exit 4: k8snet failed unexpectedly (a bug), never blamed on the cluster', () => {
  // the injected stdout writer throws a TypeError: an error k8snet does not expect
  const brokenOut = {
    out: () => {
      throw new TypeError('stdout writer broke');
    },
  };

  it.each([['rbac'], ['analyze', facts('healthy')]])('%s: says it is a bug in k8snet, asks for --debug, and prints no stack trace', async (...args) => {
    const r = await run(args, brokenOut);
    expect(r.code).toBe(EXIT.internal);
    expect(r.err).toMatch(/^error: k8snet failed unexpectedly: stdout writer broke/);
    expect(r.err).toMatch(/why: {2}this is a bug in k8snet, not a finding about your cluster/);
    expect(r.err).toMatch(/next: re-run with --debug/);
    expect(r.err).not.toMatch(STACK_FRAME);
  });

  it('with --debug, the stack trace follows', async () => {
    const r = await run(['analyze', facts('healthy'), '--debug'], brokenOut);
    expect(r.code).toBe(EXIT.internal);
    expect(r.err).toMatch(STACK_FRAME);
  });
});

const WORLD = `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: x, namespace: a, labels: {app: x}}
spec: {containers: [{name: c}]}
status: {podIP: 10.244.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: y, namespace: a, labels: {app: y}}
spec: {containers: [{name: c}]}
status: {podIP: 10.244.0.6}
`;
const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: a}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
