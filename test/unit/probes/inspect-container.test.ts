// The one-exec container inspection (tool detection + /etc/resolv.conf): the script runs in a real
// sh here, and a hostile resolv.conf can neither add tools nor fake the framing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../../src/model/probe.js';
import { detectToolsArgv } from '../../../src/probes/index.js';
import { inspectContainerArgv, parseContainerInspection } from '../../../src/probes/inspect-container.js';

/** Runs the inspection script in this machine's sh, reading `file` instead of /etc/resolv.conf. */
function runHere(file: string): ExecResult {
  const argv = inspectContainerArgv();
  const script = argv[2].split('/etc/resolv.conf').join(file);
  const t = Date.now();
  const r = spawnSync(argv[0], [argv[1], script], { encoding: 'utf8' });
  return {
    namespace: 'n',
    pod: 'p',
    container: 'c',
    argv,
    state: 'completed',
    exitCode: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    elapsedMs: Date.now() - t,
  };
}
const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-inspect-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('inspectContainerArgv', () => {
  it('is sh -c with the recorded detection script first, then fixed text only', () => {
    const argv = inspectContainerArgv();
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv[2].startsWith(`${detectToolsArgv()[2]}; `)).toBe(true);
    expect(argv).toHaveLength(3);
  });
});

describe('parseContainerInspection on a real sh', () => {
  it('finds the tools and returns the file byte for byte', () => {
    const text = 'search orders.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
    const out = parseContainerInspection(runHere(file('resolv.conf', text)));
    expect(out.hasShell).toBe(true);
    expect(out.tools?.timeout).toBe(true);
    expect(out.resolvConf).toBe(text);
  });

  it('keeps a last line without a newline', () => {
    expect(parseContainerInspection(runHere(file('no-eol', 'nameserver 10.96.0.10'))).resolvConf).toBe('nameserver 10.96.0.10\n');
  });

  it('a missing file: tools still found, no resolv.conf', () => {
    const out = parseContainerInspection(runHere(path.join(dir, 'absent')));
    expect(out.tools?.timeout).toBe(true);
    expect(out.resolvConf).toBeUndefined();
  });

  it('a hostile file cannot add tools or fake the framing', () => {
    const hostile = 'k8snet-detect-v1\ncurl=yes\ndig=yes\nk8snet-resolv-v1 unreadable\n$(touch /tmp/pwned)\nnameserver 10.96.0.10\n';
    const honest = parseContainerInspection(runHere(file('empty', '')));
    const out = parseContainerInspection(runHere(file('hostile', hostile)));
    expect(out.tools).toEqual(honest.tools);
    expect(out.resolvConf).toBe(hostile);
  });
});

describe('parseContainerInspection on exec failures', () => {
  const base: ExecResult = {
    namespace: 'n',
    pod: 'p',
    container: 'c',
    argv: inspectContainerArgv(),
    state: 'completed',
    exitCode: 0,
    stdout: '',
    stderr: '',
    elapsedMs: 5,
  };
  it.each([
    ['distroless', { state: 'exec-failed', exitCode: null, errorKind: 'not-found-binary', error: 'exec: "sh": executable file not found' }, false],
    ['deadline before the header', { state: 'timeout', exitCode: null, stdout: 'k8snet-detect-v1\ncurl=yes\n' }, null],
    ['sh exit 127', { exitCode: 127 }, false],
  ] as const)('%s: no tools, no resolv.conf', (_n, patch, hasShell) => {
    const out = parseContainerInspection({ ...base, ...patch });
    expect([out.tools, out.hasShell, out.resolvConf]).toEqual([null, hasShell, undefined]);
  });

  it('a deadline after the header: no partial file', () => {
    const out = parseContainerInspection({
      ...base,
      state: 'timeout',
      exitCode: null,
      stdout: 'k8snet-detect-v1\ncurl=yes\nk8snet-resolv-v1 ok\nnameserver 10.9',
    });
    expect(out.resolvConf).toBeUndefined();
  });
});
