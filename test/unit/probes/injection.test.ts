// Nothing a user types is interpreted by a shell: it is rejected, or stays one inert argv element.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ToolSet } from '../../../src/model/probe.js';
import { buildDnsProbe, buildHttpProbe, buildTcpProbe, kubectlCommand, ProbeInputError } from '../../../src/probes/index.js';

const ALL: ToolSet = { curl: true, wget: true, nc: true, nslookup: true, dig: true, getent: true, timeout: true, cat: true };
const ONLY_WGET: ToolSet = { wget: true, timeout: true };
const INJECTIONS = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  'a\nid',
  'a\r\nX-Evil: 1',
  "x' || id '",
  'x" && id "',
  '-oProxyCommand=id',
  '--help',
  'a b',
  'a\tb',
  'a\\b',
  '',
];

describe('hosts, servers and Host headers with shell or option syntax are rejected', () => {
  const builders = [
    ['http host', (v: string) => buildHttpProbe(ALL, { host: v, port: 80 }, 2)],
    ['tcp host', (v: string) => buildTcpProbe(ALL, { host: v, port: 80 }, 2)],
    ['dns name', (v: string) => buildDnsProbe(ALL, { host: v }, 2)],
    ['dns server', (v: string) => buildDnsProbe(ALL, { host: 'web', server: v }, 2)],
    ['host header', (v: string) => buildHttpProbe(ALL, { host: '10.96.0.1', hostHeader: v }, 2)],
  ] as const;
  const cases = builders.flatMap(([b, fn]) => INJECTIONS.map((v) => [b, v, fn] as const));
  it.each(cases)('%s %j', (_b, value, build) => {
    expect(() => build(value)).toThrow(ProbeInputError);
  });

  it('a DNS server must be an IP, not a name', () => {
    expect(() => buildDnsProbe(ALL, { host: 'web', server: 'kube-dns.kube-system' }, 2)).toThrow(/must be an IP/);
  });

  it.each([0, -1, 65536, 1.5, Number.NaN])('port %s is rejected', (port) => {
    expect(() => buildTcpProbe(ALL, { host: '10.96.0.1', port }, 2)).toThrow(/port/);
  });

  it.each([0, 1.5, 601, Number.NaN])('timeout %s is rejected', (t) => {
    expect(() => buildHttpProbe(ALL, { host: '10.96.0.1' }, t)).toThrow(/timeoutSec/);
  });
});

describe('paths: quotes, spaces, backticks and control characters are rejected', () => {
  it.each(['/a b', '/`id`', "/'x'", '/"x"', '/a\nb', '/a\rb', '/a\\b', 'relative', '/a#frag', '/\u00e9'])('%j', (path) => {
    expect(() => buildHttpProbe(ALL, { host: '10.96.0.1', path }, 2)).toThrow(/refusing to build a probe: path/);
  });
});

// Shell metacharacters that are legal in URLs stay inside the one URL argument, which is never given to a shell.
const INERT_PATHS = ['/;rm%20-rf%20/', '/$(id)', '/a;id', '/a&&id', '/a|id', '/?q=$HOME&x=${IFS}'];

/** Runs the kubectl line through a real POSIX shell with `kubectl` replaced by a printer of its argv. */
function argvAfterShell(line: string): string[] {
  const script = `kubectl() { printf '%s\\0' "$@"; }\n${line}`;
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('legal-but-dangerous path characters stay one inert argv element', () => {
  it.each(INERT_PATHS.flatMap((p) => [[p, 'curl'] as const, [p, 'wget'] as const]))('%j via %s', (path, tool) => {
    const cmd = buildHttpProbe(tool === 'curl' ? { curl: true } : ONLY_WGET, { host: '10.96.0.1', port: 80, path }, 2)!;
    const url = `http://10.96.0.1:80${path}`;
    expect(cmd.argv.filter((a) => a.includes(path))).toEqual([url]);
    // and the paste-able kubectl line gives a shell back exactly the same argv
    const exec = { namespace: 'default', pod: 'client-7d9', container: 'app', argv: cmd.argv };
    expect(argvAfterShell(kubectlCommand(exec))).toEqual(['exec', '-n', 'default', 'client-7d9', '-c', 'app', '--', ...cmd.argv]);
  });
});
