// Issue 16 item 7: without `timeout` in the container, wget, nslookup and getent have no deadline
// of their own inside it (busybox wget -T crashes, nslookup and getent have no flag). They are
// bounded by k8snet's sh watchdog when the container has `sleep` (sh ran the tool detection); only
// without either does the evidence say the probe ran unbounded.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { probeEvidence } from '../../../src/checks/lib/probe-evidence.js';
import { buildDnsProbe, buildHttpProbe, buildTcpProbe } from '../../../src/probes/index.js';
import { judgeExecStatus, programOf } from '../../../src/probes/exit-status.js';
import { WATCHDOG_NAME, watchdogArgv } from '../../../src/probes/probe-command.js';
import type { ExecResult, ProbeFact, ToolSet } from '../../../src/model/probe.js';

const noTimeout = { wget: true, nslookup: true, getent: true } as ToolSet;
const withSleep = { ...noTimeout, sleep: true } as ToolSet;
const withTimeoutTool = { ...noTimeout, timeout: true, sleep: true } as ToolSet;

function exec(argv: string[], exitCode: number): ExecResult {
  return { namespace: 'a', pod: 'p', container: 'c', argv, state: 'completed', exitCode, stdout: '', stderr: '', elapsedMs: 5 };
}

function fact(tool: string, argv: string[]): ProbeFact {
  return { id: 'x', kind: 'http', label: 'x', target: { host: '10.96.0.1' }, tool, kubectl: 'kubectl exec ...', exec: exec(argv, 0) } as unknown as ProbeFact;
}

const builders = (tools: ToolSet) =>
  [
    ['wget', buildHttpProbe(tools, { host: '10.96.0.1', port: 80, path: '/' }, 3)!],
    ['wget', buildTcpProbe(tools, { host: '10.96.0.1', port: 80 }, 3)!],
    ['nslookup', buildDnsProbe({ ...tools, getent: false }, { host: 'a.b.svc.cluster.local', server: '10.96.0.10' }, 3)!],
    ['getent', buildDnsProbe(tools, { host: 'a.b.svc.cluster.local' }, 3)!],
  ] as const;

describe('probes without a deadline of their own', () => {
  it.each(builders(noTimeout))('%s with neither `timeout` nor `sleep`: the evidence says it ran unbounded', (tool, cmd) => {
    expect(cmd.tool).toBe(tool);
    expect(cmd.argv[0]).toBe(tool);
    expect(probeEvidence(fact(tool, cmd.argv)).join('\n')).toMatch(/unbounded inside the container/);
  });

  it.each(builders(withSleep))('%s without `timeout` but with sh and sleep: bounded by the sh watchdog, not called unbounded', (tool, cmd) => {
    expect(cmd.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(cmd.argv[3]).toBe(WATCHDOG_NAME);
    expect(cmd.argv[4]).toBe('3');
    expect(cmd.argv[5]).toBe(tool);
    expect(programOf(cmd.argv)).toBe(tool);
    expect(probeEvidence(fact(tool, cmd.argv)).join('\n')).not.toMatch(/unbounded/);
  });

  it.each(builders(withTimeoutTool))('%s with `timeout` in the container: `timeout N` (preferred over the watchdog)', (tool, cmd) => {
    expect(cmd.argv.slice(0, 2)).toEqual(['timeout', '3']);
    expect(probeEvidence(fact(tool, cmd.argv)).join('\n')).not.toMatch(/unbounded/);
  });

  it("a watchdog exit 124 is a timeout; any other exit is the tool's own (the parser takes over)", () => {
    const argv = watchdogArgv(3, ['wget', '-q', 'http://10.96.0.1/']);
    expect(judgeExecStatus(exec(argv, 124))).toMatchObject({ kind: 'timeout' });
    expect(judgeExecStatus(exec(argv, 1))).toBeNull();
    expect(judgeExecStatus(exec(argv, 0))).toBeNull();
    // a SIGKILL the watchdog did not send (OOM) stays a crash, not a network timeout
    expect(judgeExecStatus(exec(argv, 137))).toMatchObject({ kind: 'crashed' });
    // 124 from a bare tool is just its exit code
    expect(judgeExecStatus(exec(['wget', 'x'], 124))).toBeNull();
  });
});

// The script itself, run by the local POSIX shells (dash as sh, and busybox when installed): the
// command's exit status passes through, a command that outlives the bound is killed (exit 124) within
// it, and words stay words (no shell evaluation of argv).
const shells = ['sh', 'busybox'].filter((s) => spawnSync('sh', ['-c', `command -v ${s}`]).status === 0);
describe.each(shells)('the watchdog script under %s', (shell) => {
  const run = (argv: string[]) => {
    const full = watchdogArgv(1, argv);
    const cmd = shell === 'busybox' ? ['busybox', ...full] : full;
    const t0 = Date.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 10_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
  };
  it('passes the exit status and output through', () => {
    // stderr is the command's alone: no "Terminated"/"Killed" job notice from the shell (busybox ash prints them)
    for (let i = 0; i < 3; i++) expect(run(['sh', '-c', 'echo hi; echo oops >&2; exit 3'])).toMatchObject({ status: 3, stdout: 'hi\n', stderr: 'oops\n' });
    expect(run(['true'])).toMatchObject({ status: 0, stderr: '' });
  });
  it('kills a command that outlives the bound: exit 124 after about 1 s (3 runs: the kill/exit race once gave 137)', () => {
    for (let i = 0; i < 3; i++) {
      const r = run(['sleep', '5']);
      expect(r.status).toBe(124);
      expect(r.stderr).toBe('');
      expect(r.ms).toBeGreaterThanOrEqual(900);
      expect(r.ms).toBeLessThan(4000);
    }
  });
  it('passes argv words literally', () => {
    expect(run(['echo', '$(id)', '; exit 9', '"q"'])).toMatchObject({ status: 0, stdout: '$(id) ; exit 9 "q"\n' });
  });
});
