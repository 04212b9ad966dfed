// --watch / --until healthy: the change-diff between rounds (pure), and the watch loop driven by
// recorded lab facts, a fake clock and a fake Ctrl-C (the impure pieces are injected, nothing mocked).
import { describe, expect, it } from 'vitest';
import { analyzeFacts } from '../../../src/pipeline.js';
import { diffRounds, findingKey, summarizeRound } from '../../../src/report/watch-diff.js';
import { changeLines, runWatch, type WatchDeps, type WatchOptions } from '../../../src/cli/watch.js';
import { parseWatch } from '../../../src/cli/diagnose.js';
import { ClusterError, UserError } from '../../../src/errors.js';
import type { Facts } from '../../../src/model/facts.js';
import type { Io } from '../../../src/cli/output.js';
import { loadFacts } from '../helpers.js';

function summary(name: string) {
  const { findings, diagnosis } = analyzeFacts(loadFacts(name));
  return summarizeRound(findings, diagnosis);
}

describe('diffRounds', () => {
  it('nothing changed: no changes', () => {
    expect(diffRounds(summary('healthy'), summary('healthy'))).toEqual([]);
  });

  it('fix lands (policy fault -> healthy): verdict, layer, and the findings that flipped', () => {
    const changes = diffRounds(summary('default-deny-no-allow'), summary('healthy'));
    expect(changes[0]).toEqual({ kind: 'verdict', from: 'fault', to: 'healthy' });
    expect(changes[1]).toEqual({ kind: 'layer', from: 'policy', to: null });
    const flips = changes.filter((c) => c.kind === 'finding');
    expect(flips).toContainEqual(expect.objectContaining({ code: 'clusterip/timeout', from: 'fail', to: null }));
    expect(flips).toContainEqual(expect.objectContaining({ code: 'clusterip/reachable', from: null, to: 'pass' }));
    expect(flips).toContainEqual(expect.objectContaining({ code: 'policy/ingress-denied', from: 'fail', to: null }));
    // info findings (CNI detected, crosscheck) are context, never reported as flips
    expect(flips.some((c) => c.kind === 'finding' && c.code.startsWith('crosscheck/'))).toBe(false);
  });

  it('the same finding with another wording (elapsed time) is not a change', () => {
    const a = summary('healthy');
    const b = summary('healthy');
    for (const [k, v] of b.findings) b.findings.set(k, { ...v, summary: `${v.summary} (after 12 ms)` });
    expect(diffRounds(a, b)).toEqual([]);
  });

  it('a status flip of one endpoint among two is one change, keyed by its probe', () => {
    const a = summary('healthy');
    const b = summary('healthy');
    const key = [...b.findings.keys()].find((k) => k.startsWith('endpoint/reachable|'))!;
    b.findings.set(key, { ...b.findings.get(key)!, status: 'fail' });
    const ch = diffRounds(a, b);
    expect(ch).toHaveLength(1);
    expect(ch[0]).toMatchObject({ kind: 'finding', key, from: 'pass', to: 'fail' });
  });

  it('findingKey tells two endpoint probes apart', () => {
    const { findings } = analyzeFacts(loadFacts('healthy'));
    const eps = findings.filter((f) => f.code === 'endpoint/reachable').map(findingKey);
    expect(eps.length).toBeGreaterThan(1);
    expect(new Set(eps).size).toBe(eps.length);
  });

  it('changeLines words them', () => {
    expect(
      changeLines([
        { kind: 'verdict', from: 'fault', to: 'healthy' },
        { kind: 'layer', from: 'policy', to: null },
        { kind: 'finding', key: 'k', code: 'clusterip/timeout', from: 'fail', to: null, summary: 'ClusterIP timed out' },
      ]),
    ).toEqual(['verdict FAULT -> HEALTHY', 'layer NetworkPolicy -> none', '  FAIL -> gone  ClusterIP timed out [clusterip/timeout]']);
  });
});

describe('parseWatch', () => {
  it.each([
    [{}, undefined],
    [{ watch: true }, { intervalMs: 5000 }],
    [{ watch: '2s' }, { intervalMs: 2000 }],
    [{ until: 'healthy' }, { intervalMs: 5000, until: 'healthy' }],
    [
      { watch: '1m', until: 'healthy' },
      { intervalMs: 60000, until: 'healthy' },
    ],
  ] as const)('%j', (o, want) => expect(parseWatch(o)).toEqual(want));
  it.each([[{ watch: 'soon' }], [{ watch: '200ms' }], [{ until: 'fixed' }], [{ watch: true, output: 'markdown' }]])('refuses %j', (o) => {
    expect(() => parseWatch(o)).toThrow(UserError);
  });
});

function capture(): Io & { outText: () => string; errText: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t + '\n'),
    err: (t) => void (err += t + '\n'),
    stderrIsTty: false,
    stdoutIsTty: false,
    outText: () => out,
    errText: () => err,
  };
}

/** A fake world: each round returns the next facts (or throws), a round takes 1 s. */
function fakeDeps(rounds: (Facts | Error)[], opts: { interruptAfter?: number } = {}): WatchDeps & { gathered: () => number } {
  let t = new Date(2026, 11, 1, 14, 0, 0).getTime();
  let n = 0;
  let interrupt: (() => void) | undefined;
  return {
    gathered: () => n,
    now: () => new Date(t),
    gather: async () => {
      const r = rounds[Math.min(n, rounds.length - 1)];
      n++;
      t += 1000;
      if (r instanceof Error) throw r;
      return r;
    },
    // Ctrl-C arrives while waiting after round `interruptAfter`
    sleep: async (ms) => {
      t += ms;
      if (opts.interruptAfter !== undefined && n >= opts.interruptAfter) interrupt?.();
    },
    onInterrupt: (fn) => {
      interrupt = fn;
      return () => (interrupt = undefined);
    },
  };
}

const OPTS: WatchOptions = { intervalMs: 5000, output: 'table', color: false, verbose: false, unicode: false };

describe('runWatch', () => {
  it('--until healthy: full report first, then only the change, exit 0 the moment it is healthy', async () => {
    const io = capture();
    const deps = fakeDeps([loadFacts('default-deny-no-allow'), loadFacts('default-deny-no-allow'), loadFacts('healthy'), loadFacts('default-deny-no-allow')]);
    expect(await runWatch(deps, { ...OPTS, until: 'healthy' }, io)).toBe(0);
    expect(deps.gathered()).toBe(3);
    const out = io.outText();
    expect(out.match(/^\[14:00:01\] round 1$/m)).not.toBeNull();
    expect(out).toContain('DIAGNOSIS'); // round 1: the whole report
    expect(out).not.toMatch(/round 2/); // round 2: nothing changed, nothing printed
    expect(out).toMatch(/^\[14:00:\d\d\] round 3: HEALTHY — /m);
    expect(out).toContain('  verdict FAULT -> HEALTHY');
    expect(out).toContain('  layer NetworkPolicy -> none');
    expect(out).toMatch(/FAIL -> gone .*\[policy\/ingress-denied\]/);
    expect(out.split('DIAGNOSIS')).toHaveLength(2); // the report is printed once
  });

  it("Ctrl-C ends the watch with the last verdict's exit code", async () => {
    const io = capture();
    const deps = fakeDeps([loadFacts('default-deny-no-allow')], { interruptAfter: 2 });
    expect(await runWatch(deps, OPTS, io)).toBe(1);
    expect(io.errText()).toContain('interrupted: last verdict FAULT; exit 1');
  });

  it('a round that cannot reach the cluster is reported once and the watch goes on', async () => {
    const io = capture();
    const down = new ClusterError({ kind: 'unreachable', message: 'could not reach the API server', why: 'connect ECONNREFUSED 127.0.0.1:6443' });
    const deps = fakeDeps([loadFacts('healthy'), down, down, down, loadFacts('healthy')], { interruptAfter: 5 });
    expect(await runWatch(deps, OPTS, io)).toBe(0);
    const out = io.outText();
    expect(out.match(/could not check/g)).toHaveLength(1);
    expect(out).toMatch(/round 5: HEALTHY/); // back: printed though nothing else changed
  });

  it('interrupted after errors only: exit 3 (could not check)', async () => {
    const io = capture();
    const down = new ClusterError({ kind: 'timeout', message: 'the API server did not answer in time' });
    expect(await runWatch(fakeDeps([down], { interruptAfter: 2 }), OPTS, io)).toBe(3);
  });

  it('-o json: one JSON object per line, the first with the report', async () => {
    const io = capture();
    const deps = fakeDeps([loadFacts('default-deny-no-allow'), loadFacts('healthy')]);
    expect(await runWatch(deps, { ...OPTS, output: 'json', until: 'healthy' }, io)).toBe(0);
    const lines = io
      .outText()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ schema: 'k8snet.watch/v1', round: 1, verdict: 'fault', exit: 1, report: { schema: 'k8snet.diagnose/v1' } });
    expect(lines[1]).toMatchObject({ round: 2, verdict: 'healthy', exit: 0 });
    expect(lines[1].changes[0]).toEqual({ kind: 'verdict', from: 'fault', to: 'healthy' });
    expect(lines[1].report).toBeUndefined();
  });

  it('Ctrl-C during a round that hangs ends the watch at once (no round finished: 130)', async () => {
    const io = capture();
    let interrupt: (() => void) | undefined;
    const deps: WatchDeps = {
      now: () => new Date(2026, 11, 1, 14, 0, 0),
      gather: () => {
        queueMicrotask(() => interrupt?.());
        return new Promise<Facts>(() => undefined); // never answers
      },
      sleep: async () => undefined,
      onInterrupt: (fn) => ((interrupt = fn), () => (interrupt = undefined)),
    };
    expect(await runWatch(deps, OPTS, io)).toBe(130);
    expect(io.errText()).toContain('no round finished');
  });

  it('a bug in a round is not swallowed', async () => {
    await expect(runWatch(fakeDeps([new TypeError('boom')]), OPTS, capture())).rejects.toThrow('boom');
  });
});
