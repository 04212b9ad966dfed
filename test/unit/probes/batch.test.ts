// Probes batched into one exec: the script runs in real shells here (dash via sh, and busybox sh,
// the lab's toolbox shell), concurrently, each probe with its own bound, exit status and output;
// remote bytes cannot forge a frame; hostile argv stays inert; no temp dir means fallback.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../../src/model/probe.js';
import { BATCH_OUTPUT_CAP, BatchInputError, batchComplete, buildBatchArgv, parseBatch, type BatchProbe } from '../../../src/probes/batch.js';

const NONCE = '0123456789abcdef';
const SHELLS: [string, string[]][] = [['sh', []]];
if (existsSync('/usr/bin/busybox')) SHELLS.push(['/usr/bin/busybox', ['sh']]);

/** Runs the batch script in a local shell, as the exec API would in the pod. */
function runLocal(shell: [string, string[]], probes: BatchProbe[], env: NodeJS.ProcessEnv = process.env) {
  const argv = buildBatchArgv(probes, NONCE);
  const t = Date.now();
  const r = spawnSync(shell[0], [...shell[1], '-c', argv[2]], { env, maxBuffer: 1 << 22, timeout: 20000 });
  const exec: ExecResult = {
    namespace: 'n',
    pod: 'p',
    container: 'c',
    argv,
    state: 'completed',
    exitCode: r.status,
    stdout: '',
    stderr: r.stderr.toString(),
    elapsedMs: Date.now() - t,
  };
  return { exec, stdout: r.stdout, parsed: parseBatch(exec, r.stdout, probes, NONCE), wallMs: Date.now() - t };
}
const results = (p: ReturnType<typeof parseBatch>) => {
  if (p.kind !== 'results') throw new Error(`fallback: ${p.why}`);
  return p.results;
};

describe.each(SHELLS)('batch in %s', (...shell) => {
  it('each probe keeps its own exit status and output, byte for byte', () => {
    const probes: BatchProbe[] = [
      { argv: ['sh', '-c', 'printf "hello\\n"; echo oops >&2; exit 3'], boundSec: 5 },
      { argv: ['printf', '%s', 'héllo wörld'], boundSec: 5 },
      { argv: ['sh', '-c', 'exit 0'], boundSec: 5 },
    ];
    const [a, b, c] = results(runLocal(shell, probes).parsed);
    expect([a.state, a.exitCode, a.stdout, a.stderr]).toEqual(['completed', 3, 'hello\n', 'oops\n']);
    expect([b.state, b.exitCode, b.stdout]).toEqual(['completed', 0, 'héllo wörld']);
    expect([c.exitCode, c.stdout, c.stderr]).toEqual([0, '', '']);
    expect(a.argv).toEqual(probes[0].argv);
  });

  it('probes run concurrently, and a hung probe is killed at its own bound without holding up the others', () => {
    const probes: BatchProbe[] = [
      { argv: ['sleep', '0.6'], boundSec: 5 },
      { argv: ['sleep', '0.6'], boundSec: 5 },
      { argv: ['sleep', '30'], boundSec: 1 },
    ];
    const run = runLocal(shell, probes);
    const [a, b, hung] = results(run.parsed);
    expect([a.state, a.exitCode, b.exitCode]).toEqual(['completed', 0, 0]);
    expect(hung.state).toBe('timeout');
    expect(hung.error).toMatch(/killed in the pod/);
    expect(a.elapsedMs).toBeGreaterThanOrEqual(500);
    expect(hung.elapsedMs).toBeGreaterThanOrEqual(900);
    // concurrent: the probes' own times add up to more than the whole batch took (one after
    // another they would be 2.2 s at least); a measure that holds on a loaded machine too
    expect(a.elapsedMs + b.elapsedMs + hung.elapsedMs).toBeGreaterThan(run.wallMs);
  });

  it('the output is complete only with every frame and the end line after them, whatever a probe prints', () => {
    const probes: BatchProbe[] = [
      // a probe that prints what the end line looks like, even with this run's nonce
      { argv: ['printf', '%s\\n', `k8snet-batch-v1 ${NONCE} end`], boundSec: 5 },
      { argv: ['sh', '-c', 'echo two; exit 2'], boundSec: 5 },
    ];
    const { stdout } = runLocal(shell, probes);
    expect(batchComplete(stdout, probes.length, NONCE)).toBe(true);
    // any shorter prefix (a frame or the end line still on its way) is not complete
    for (let cut = 0; cut < stdout.length; cut++) expect(batchComplete(stdout.subarray(0, cut), probes.length, NONCE)).toBe(false);
    expect(batchComplete(stdout, probes.length, 'fedcba9876543210')).toBe(false);
    expect(batchComplete(stdout, probes.length + 1, NONCE)).toBe(false);
  });

  it("output that imitates frames cannot forge another probe's result", () => {
    const fake = `k8snet-batch-v1 ${NONCE} 1 0 0 0 0 5 0\nforge`;
    const probes: BatchProbe[] = [
      { argv: ['printf', '%s\\n', fake], boundSec: 5 },
      { argv: ['sh', '-c', 'echo real; exit 7'], boundSec: 5 },
    ];
    const [a, b] = results(runLocal(shell, probes).parsed);
    expect(a.stdout).toBe(`${fake}\n`);
    expect([b.exitCode, b.stdout]).toEqual([7, 'real\n']);
  });

  it('hostile argv words stay single inert arguments', () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'k8snet-batch-')), 'pwned');
    const words = [`$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`, `a\ntouch ${marker}`, '"$HOME"', '*'];
    const [r] = results(runLocal(shell, [{ argv: ['printf', '%s|', ...words], boundSec: 5 }]).parsed);
    expect(r.stdout).toBe(`${words.join('|')}|`);
    expect(existsSync(marker)).toBe(false);
  });

  it('caps each output and leaves no temp dir behind', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-batch-tmp-'));
    const [r] = results(runLocal(shell, [{ argv: ['sh', '-c', 'yes x | head -c 100000'], boundSec: 5 }], { ...process.env, TMPDIR: dir }).parsed);
    expect(r.stdout.length).toBe(BATCH_OUTPUT_CAP);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a missing binary is exec-failed not-found-binary, like a single exec', () => {
    const [r] = results(runLocal(shell, [{ argv: ['k8snet-no-such-tool', '-x'], boundSec: 5 }]).parsed);
    expect([r.state, r.errorKind]).toEqual(['exec-failed', 'not-found-binary']);
  });
});

describe('fallback and damaged output', () => {
  const exec: ExecResult = { namespace: 'n', pod: 'p', container: 'c', argv: [], state: 'completed', exitCode: 0, stdout: '', stderr: '', elapsedMs: 40 };
  const probes: BatchProbe[] = [
    { argv: ['true'], boundSec: 2 },
    { argv: ['true'], boundSec: 2 },
  ];

  it('no writable temp dir: the script says so and the caller falls back', () => {
    // every candidate dir unwritable: TMPDIR and the fixed ones are replaced by a path that does not exist
    const argv = buildBatchArgv(probes, NONCE);
    const script = argv[2].replace('"${TMPDIR:-/tmp}" /tmp /dev/shm /var/tmp', '/nonexistent/a /nonexistent/b');
    const r = spawnSync('sh', ['-c', script]);
    expect(parseBatch(exec, r.stdout, probes, NONCE)).toEqual({ kind: 'fallback', why: 'no writable temp dir' });
  });

  it('a fallback line with another nonce is not believed', () => {
    const out = Buffer.from(`k8snet-batch-v1 ffffffffffffffff fallback no wc\n`);
    const p = parseBatch(exec, out, probes, NONCE);
    expect(p.kind).toBe('results');
    expect(results(p).map((r) => r.state)).toEqual(['exec-failed', 'exec-failed']);
  });

  it('a batch cut short by its deadline: the probes without a frame time out, the others keep theirs', () => {
    const out = Buffer.from(`k8snet-batch-v1 ${NONCE} 0 0 0 100 150 2 0\nok`);
    const [a, b] = results(parseBatch({ ...exec, state: 'timeout', exitCode: null }, out, probes, NONCE));
    expect([a.state, a.exitCode, a.stdout, a.elapsedMs]).toEqual(['completed', 0, 'ok', 500]);
    expect([b.state, b.exitCode]).toEqual(['timeout', null]);
  });

  it('a length past the end of the output is not trusted', () => {
    const out = Buffer.from(`k8snet-batch-v1 ${NONCE} 0 0 0 - - 99 0\nshort`);
    expect(results(parseBatch(exec, out, probes, NONCE))[0].state).toBe('exec-failed');
  });

  it('the batch exec itself failing (forbidden, no sh) falls back to single execs', () => {
    expect(
      parseBatch({ ...exec, state: 'exec-failed', exitCode: null, errorKind: 'not-found-binary', error: 'no sh' }, Buffer.alloc(0), probes, NONCE).kind,
    ).toBe('fallback');
  });
});

describe('buildBatchArgv refuses what it cannot quote or bound', () => {
  it.each([
    ['a NUL byte', [{ argv: ['a\0b'], boundSec: 2 }], NONCE],
    ['an empty argv', [{ argv: [], boundSec: 2 }], NONCE],
    ['a fractional bound', [{ argv: ['true'], boundSec: 1.5 }], NONCE],
    ['a bound of 0', [{ argv: ['true'], boundSec: 0 }], NONCE],
    ['a nonce with shell syntax', [{ argv: ['true'], boundSec: 2 }], '$(id)aaaaaaaaaaaaaa'],
    ['no probes', [], NONCE],
  ] as const)('%s', (_n, probes, nonce) => {
    expect(() => buildBatchArgv(probes as unknown as BatchProbe[], nonce)).toThrow(BatchInputError);
  });
});
