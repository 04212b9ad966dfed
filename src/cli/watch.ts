// `diagnose --watch [INTERVAL]` and `--until healthy`: re-run the diagnosis, print the first report in
// full and afterwards only what changed (verdict, layer, findings that flipped) with a timestamp.
// Each round is bounded by --timeout (the gatherer's deadline); Ctrl-C ends the watch cleanly with
// the last round's exit code. The impure pieces (gather, sleep, clock, signals) are passed in.

import { isK8snetError } from '../errors.js';
import { exitCodeFor } from '../diagnosis/index.js';
import type { Facts } from '../model/facts.js';
import { LAYER_TITLES } from '../model/finding.js';
import { analyzeFacts } from '../pipeline.js';
import { paint } from '../report/ansi.js';
import { renderJson, renderTable } from '../report/index.js';
import { WORD } from '../report/status.js';
import { diffRounds, summarizeRound, type RoundSummary, type WatchChange } from '../report/watch-diff.js';
import { cleanLabel } from '../report/path-sanitize.js';
import type { Io } from './output.js';

export interface WatchDeps {
  /** One round of gathering; throws a UserError/ClusterError when k8snet could not look. */
  gather: () => Promise<Facts>;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => Date;
  /** Calls `fn` on Ctrl-C (SIGINT/SIGTERM); returns the function that removes the handler. */
  onInterrupt: (fn: () => void) => () => void;
}

export interface WatchOptions {
  intervalMs: number;
  until?: 'healthy';
  output: 'table' | 'json';
  color: boolean;
  verbose: boolean;
  unicode: boolean;
}

export const WATCH_SCHEMA = 'k8snet.watch/v1' as const;

/** "14:03:07" in local time. */
export function clock(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const VERDICT_WORD = { healthy: 'HEALTHY', fault: 'FAULT', inconclusive: 'INCONCLUSIVE' } as const;

/** The text lines of one round's changes (no timestamp). */
export function changeLines(changes: WatchChange[]): string[] {
  return changes.map((c) => {
    if (c.kind === 'verdict') return `verdict ${VERDICT_WORD[c.from]} -> ${VERDICT_WORD[c.to]}`;
    if (c.kind === 'layer') return `layer ${c.from ? LAYER_TITLES[c.from] : 'none'} -> ${c.to ? LAYER_TITLES[c.to] : 'none'}`;
    const from = c.from ? WORD[c.from] : 'new';
    const to = c.to ? WORD[c.to] : 'gone';
    return `  ${from} -> ${to}  ${cleanLabel(c.summary, 200)} [${c.code}]`;
  });
}

type Round = { facts: Facts } | { error: unknown } | { interrupted: true };

/** Runs rounds until interrupted (or healthy with --until healthy); resolves to the exit code. */
export async function runWatch(deps: WatchDeps, o: WatchOptions, io: Io): Promise<number> {
  const p = paint(o.color);
  const ac = new AbortController();
  const unregister = deps.onInterrupt(() => ac.abort());
  const interrupted = new Promise<Round>((resolve) => ac.signal.addEventListener('abort', () => resolve({ interrupted: true }), { once: true }));
  let last: RoundSummary | undefined;
  let lastCode: number | undefined;
  let lastError: string | undefined;
  const stamp = () => p.dim(`[${clock(deps.now())}]`);
  const emit = (obj: Record<string, unknown>) => io.out(JSON.stringify({ schema: WATCH_SCHEMA, at: deps.now().toISOString(), ...obj }));
  try {
    if (o.output === 'table') {
      io.err(`watching every ${o.intervalMs / 1000}s${o.until ? ' until the path is healthy' : ''}; Ctrl-C stops (exit code: the last verdict's)`);
    }
    for (let round = 1; ; round++) {
      const started = deps.now().getTime();
      const r = await Promise.race<Round>([
        deps.gather().then(
          (facts) => ({ facts }),
          (error: unknown) => ({ error }),
        ),
        interrupted,
      ]);
      if ('interrupted' in r) break;
      if ('error' in r) {
        if (!isK8snetError(r.error)) throw r.error; // a bug, not a cluster condition: report it as such
        const e = r.error;
        lastCode = e.exitCode;
        const msg = `${e.message}${e.why ? ` (${e.why})` : ''}`;
        if (msg !== lastError) {
          if (o.output === 'json') emit({ round, error: { message: e.message, why: e.why, next: e.next }, exit: e.exitCode });
          else io.out(`${stamp()} round ${round}: ${p.status('unknown', 'could not check')}: ${msg}`);
        }
        lastError = msg;
      } else {
        const { findings, diagnosis, report } = analyzeFacts(r.facts);
        const code = exitCodeFor(diagnosis);
        const summary = summarizeRound(findings, diagnosis);
        if (!last) {
          if (o.output === 'json')
            emit({
              round,
              verdict: diagnosis.verdict,
              layer: diagnosis.layer,
              headline: diagnosis.headline,
              exit: code,
              changes: [],
              report: JSON.parse(renderJson(report)),
            });
          else io.out(`${stamp()} round ${round}\n${renderTable(report, { color: o.color, verbose: o.verbose, unicode: o.unicode })}`);
        } else {
          const changes = diffRounds(last, summary);
          const recovered = lastError !== undefined;
          if (changes.length > 0 || recovered) {
            if (o.output === 'json') emit({ round, verdict: diagnosis.verdict, layer: diagnosis.layer, headline: diagnosis.headline, exit: code, changes });
            else {
              const head = `${stamp()} round ${round}: ${p.bold(VERDICT_WORD[diagnosis.verdict])}${diagnosis.layer ? ` (${LAYER_TITLES[diagnosis.layer]})` : ''} — ${cleanLabel(diagnosis.headline, 300)}`;
              io.out([head, ...changeLines(changes).map((l) => `  ${l}`)].join('\n'));
            }
          }
        }
        last = summary;
        lastCode = code;
        lastError = undefined;
        if (o.until === 'healthy' && diagnosis.verdict === 'healthy') {
          if (o.output === 'table') io.err(`${clock(deps.now())} healthy after ${round} round(s): the path works`);
          return 0;
        }
      }
      const wait = Math.max(0, o.intervalMs - (deps.now().getTime() - started));
      const slept = await Promise.race<Round | undefined>([deps.sleep(wait, ac.signal).then(() => undefined), interrupted]);
      if (slept && 'interrupted' in slept) break;
    }
    const code = lastCode ?? 130;
    io.err(
      `interrupted: ${last ? `last verdict ${VERDICT_WORD[last.verdict]}` : lastError ? 'the last round could not check the cluster' : 'no round finished'}; exit ${code}`,
    );
    return code;
  } finally {
    unregister();
  }
}

/** The real process's dependencies (timers, clock, SIGINT/SIGTERM). */
export function processWatchDeps(gather: () => Promise<Facts>): WatchDeps {
  return {
    gather,
    now: () => new Date(),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        // one listener per sleep, removed when the timer fires (a long watch must not pile them up)
        const onAbort = () => {
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    onInterrupt: (fn) => {
      process.on('SIGINT', fn);
      process.on('SIGTERM', fn);
      return () => {
        process.off('SIGINT', fn);
        process.off('SIGTERM', fn);
      };
    },
  };
}
