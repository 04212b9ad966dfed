// Command builders: recorded fixtures were produced by exactly these argv, and tool preference/null cases.
import { describe, expect, it } from 'vitest';
import type { ProbeTarget, ToolSet } from '../../../src/model/probe.js';
import { buildDnsProbe, buildHttpProbe, buildReadFileArgv, buildTcpProbe } from '../../../src/probes/index.js';
import { allRecorded } from './recorded.js';

const BUILDERS = { http: buildHttpProbe, tcp: buildTcpProbe, dns: buildDnsProbe } as const;

describe('every recorded command is what the builders produce', () => {
  const cases = allRecorded().filter(([, r]) => r.tools !== null && r.probe.kind in BUILDERS);
  it.each(cases)('%s', (_name, r) => {
    const build = BUILDERS[r.probe.kind as keyof typeof BUILDERS];
    expect(build(r.tools!, r.probe.target, r.timeoutSec)).toEqual({ tool: r.probe.tool, argv: r.probe.exec!.argv });
  });
});

const T = (...names: (keyof ToolSet)[]): ToolSet => Object.fromEntries(names.map((n) => [n, true]));
const web: ProbeTarget = { host: '10.96.0.20', port: 80, path: '/' };

// tools, target, expected tool (null = no capable tool), expected argv prefix
const HTTP: [string, ToolSet, ProbeTarget, string | null, string[]][] = [
  ['curl preferred over wget', T('curl', 'wget', 'timeout'), web, 'curl', ['curl', '-v']],
  ['wget wrapped in timeout, never -T', T('wget', 'timeout'), web, 'wget', ['timeout', '3', 'wget', '-q', '-S']],
  ['wget alone when no timeout', T('wget'), web, 'wget', ['wget', '-q', '-S']],
  ['tools marked false do not count', { curl: false, wget: false, nc: true }, web, null, []],
  ['nothing', {}, web, null, []],
];

describe('buildHttpProbe', () => {
  it.each(HTTP)('%s', (_name, tools, target, tool, prefix) => {
    const cmd = buildHttpProbe(tools, target, 3);
    expect(cmd?.tool ?? null).toBe(tool);
    if (cmd) {
      expect(cmd.argv.slice(0, prefix.length)).toEqual(prefix);
      expect(cmd.argv).not.toContain('-T');
    }
  });

  it('brackets IPv6 hosts and defaults to port 80 and /', () => {
    expect(buildHttpProbe(T('curl'), { host: 'fd00:10:96::a' }, 2)?.argv.at(-1)).toBe('http://[fd00:10:96::a]:80/');
    expect(buildHttpProbe(T('wget'), { host: 'fd00::1', port: 8080 }, 2)?.argv.at(-1)).toBe('http://[fd00::1]:8080/');
  });

  it('passes the Host header as one argv element', () => {
    const argv = buildHttpProbe(T('wget'), { ...web, hostHeader: 'api.example.com:8443' }, 2)!.argv;
    expect(argv).toContain('Host: api.example.com:8443');
    expect(argv[argv.indexOf('Host: api.example.com:8443') - 1]).toBe('--header');
  });
});

const TCP: [string, ToolSet, string | null, string[]][] = [
  ['nc -z first (returns on handshake)', T('nc', 'curl', 'wget'), 'nc', ['nc', '-v', '-z', '-w', '3', '10.96.0.20', '5432']],
  [
    'busybox nc -e true before bash and curl (connect-only, exits at once)',
    T('ncexec', 'bash', 'timeout', 'curl', 'wget'),
    'ncexec',
    ['nc', '-w', '3', '10.96.0.20', '5432', '-e', 'true'],
  ],
  [
    'bash /dev/tcp before curl, wrapped in timeout',
    T('bash', 'timeout', 'curl', 'wget'),
    'bash',
    ['timeout', '3', 'bash', '-c', 'exec 3<>"/dev/tcp/$0/$1"', '10.96.0.20', '5432'],
  ],
  ['bash without timeout is skipped (no connect timeout of its own)', T('bash', 'curl'), 'curl', ['curl']],
  ['curl telnet:// next', T('curl', 'wget'), 'curl', ['curl']],
  ['wget last, wrapped', T('wget', 'timeout'), 'wget', ['timeout', '3', 'wget']],
  ['no tool', T('dig', 'nslookup', 'getent'), null, []],
];

describe('buildTcpProbe', () => {
  it.each(TCP)('%s', (_name, tools, tool, prefix) => {
    const cmd = buildTcpProbe(tools, { host: '10.96.0.20', port: 5432 }, 3);
    expect(cmd?.tool ?? null).toBe(tool);
    if (cmd) expect(cmd.argv.slice(0, prefix.length)).toEqual(prefix);
  });

  it('needs a port', () => {
    expect(() => buildTcpProbe(T('nc'), { host: '10.96.0.20' }, 3)).toThrow(/port/);
  });

  it('HTTPS: curl -k with the handshake time, busybox wget without certificate checks; h2c: curl only', () => {
    const https = { host: '10.96.0.20', port: 8443, path: '/', scheme: 'https' as const };
    expect(buildHttpProbe(T('curl'), https, 3)!.argv).toEqual(
      expect.arrayContaining(['-k', '%{http_code} %{num_connects} %{time_appconnect}', 'https://10.96.0.20:8443/']),
    );
    expect(buildHttpProbe(T('wget', 'timeout'), https, 3)!.argv).toEqual(expect.arrayContaining(['--no-check-certificate', 'https://10.96.0.20:8443/']));
    const h2c = { host: '10.96.0.20', port: 50051, path: '/', scheme: 'h2c' as const };
    expect(buildHttpProbe(T('curl'), h2c, 3)!.argv).toContain('--http2-prior-knowledge');
    expect(buildHttpProbe(T('wget', 'timeout'), h2c, 3)).toBeNull();
  });
});

const DNS: [string, ToolSet, ProbeTarget, string | null, string[]][] = [
  [
    'dig FQDN at a server',
    T('dig', 'nslookup'),
    { host: 'web.default.svc.cluster.local.', server: '10.96.0.10' },
    'dig',
    ['dig', '+time=3', '+tries=1', '@10.96.0.10', 'web.default.svc.cluster.local.', 'A'],
  ],
  ['dig short name through the search list', T('dig', 'getent'), { host: 'web' }, 'dig', ['dig', '+time=3', '+tries=1', '+search', 'web', 'A']],
  [
    'dig over TCP',
    T('dig'),
    { host: 'web.default.svc.cluster.local.', transport: 'tcp', server: '10.96.0.10' },
    'dig',
    ['dig', '+time=3', '+tries=1', '+tcp', '@10.96.0.10', 'web.default.svc.cluster.local.', 'A'],
  ],
  [
    'dig AAAA at an IPv6 server',
    T('dig'),
    { host: 'web.', recordType: 'AAAA', server: 'fd00:10:96::a' },
    'dig',
    ['dig', '+time=3', '+tries=1', '@fd00:10:96::a', 'web.', 'AAAA'],
  ],
  [
    'dig on another port than 53',
    T('dig', 'nslookup'),
    { host: 'web.', server: '10.96.0.30', port: 5353 },
    'dig',
    ['dig', '+time=3', '+tries=1', '@10.96.0.30', '-p', '5353', 'web.', 'A'],
  ],
  ['nslookup cannot name a port', T('nslookup', 'timeout'), { host: 'web.', server: '10.96.0.30', port: 5353 }, null, []],
  [
    'port 53 is the default: nslookup may ask',
    T('nslookup', 'timeout'),
    { host: 'web.', server: '10.96.0.30', port: 53 },
    'nslookup',
    ['timeout', '3', 'nslookup', 'web.', '10.96.0.30'],
  ],
  ['no TCP without dig (busybox nslookup has none)', T('nslookup', 'getent', 'timeout'), { host: 'web', transport: 'tcp' }, null, []],
  ['getent for the pod resolver', T('getent', 'nslookup', 'timeout'), { host: 'web' }, 'getent', ['timeout', '3', 'getent', 'hosts', 'web']],
  ['getent cannot name a server: nslookup', T('getent', 'nslookup'), { host: 'web', server: '10.96.0.10' }, 'nslookup', ['nslookup', 'web', '10.96.0.10']],
  ['getent cannot ask AAAA: nslookup -type=aaaa', T('getent', 'nslookup'), { host: 'web', recordType: 'AAAA' }, 'nslookup', ['nslookup', '-type=aaaa', 'web']],
  ['nothing', T('curl', 'wget'), { host: 'web' }, null, []],
];

describe('buildDnsProbe', () => {
  it.each(DNS)('%s', (_name, tools, target, tool, argv) => {
    const cmd = buildDnsProbe(tools, target, 3);
    expect(cmd?.tool ?? null).toBe(tool);
    if (cmd) expect(cmd.argv).toEqual(argv);
  });
});

describe('buildReadFileArgv', () => {
  it('cats /etc/resolv.conf', () => expect(buildReadFileArgv('/etc/resolv.conf')).toEqual(['cat', '/etc/resolv.conf']));
  it.each(['etc/resolv.conf', '/etc/../root/.ssh/id_rsa', '/etc/resolv.conf; id', '/tmp/$(id)', '-n'])('rejects %j', (p) => {
    expect(() => buildReadFileArgv(p)).toThrow(/refusing to build a probe: filePath/);
  });
});
