// Tool detection: the fixed sh script, and its parse on recorded busybox/Debian runs and exec failures.
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../../src/model/probe.js';
import { detectToolsArgv, parseToolDetection } from '../../../src/probes/index.js';
import { recorded } from './recorded.js';

describe('detectToolsArgv', () => {
  it('is the exact script that was recorded', () => {
    expect(detectToolsArgv()).toEqual(recorded('detect-busybox').probe.exec!.argv);
    expect(detectToolsArgv()).toEqual(recorded('detect-debian').probe.exec!.argv);
    expect(detectToolsArgv()).toEqual(recorded('detect-busybox-no-timeout').probe.exec!.argv);
  });
});

const exec = (patch: Partial<ExecResult>): ExecResult => ({
  ...recorded('detect-busybox').probe.exec!,
  ...patch,
});

const CASES: [string, ExecResult, boolean | null, Record<string, boolean> | null][] = [
  [
    'busybox image (Debian busybox nc has no -z: counted as no nc, but ncexec)',
    recorded('detect-busybox').probe.exec!,
    true,
    { curl: false, wget: true, nc: false, ncexec: true, nslookup: true, dig: false, getent: false, timeout: true, cat: true, bash: false, sleep: true },
  ],
  [
    'debian image',
    recorded('detect-debian').probe.exec!,
    true,
    { curl: true, wget: true, nc: true, ncexec: false, nslookup: true, dig: true, getent: true, timeout: true, cat: true, bash: true, sleep: true },
  ],
  [
    'busybox applets in front of Debian tools (the lab netshoot)',
    recorded('detect-busybox-path').probe.exec!,
    true,
    { curl: true, wget: true, nc: false, ncexec: true, nslookup: true, dig: true, getent: true, timeout: true, cat: true, bash: true, sleep: true },
  ],
  [
    'dash + busybox applets, no timeout (k8snet bounds probes with its sh watchdog)',
    recorded('detect-busybox-no-timeout').probe.exec!,
    true,
    { curl: false, wget: true, nc: false, ncexec: true, nslookup: true, dig: false, getent: false, timeout: false, cat: true, bash: false, sleep: true },
  ],
  [
    'distroless: sh not found',
    exec({ state: 'exec-failed', exitCode: null, stdout: '', errorKind: 'not-found-binary', error: 'exec: "sh": executable file not found in $PATH' }),
    false,
    null,
  ],
  ['forbidden', exec({ state: 'exec-failed', exitCode: null, stdout: '', errorKind: 'forbidden', error: 'pods "x" is forbidden' }), null, null],
  ['deadline', exec({ state: 'timeout', exitCode: null, stdout: '' }), null, null],
  ['sh exit 127', exec({ exitCode: 127, stdout: '' }), false, null],
  ['output not ours', exec({ exitCode: 0, stdout: 'curl=yes\n' }), true, null],
];

describe('parseToolDetection', () => {
  it.each(CASES)('%s', (_name, e, hasShell, tools) => {
    const out = parseToolDetection(e);
    expect(out.hasShell).toBe(hasShell);
    expect(out.tools).toEqual(tools);
  });
});
