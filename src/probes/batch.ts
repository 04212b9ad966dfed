// Many probes in one exec: a fixed POSIX sh script runs every probe at once inside the pod, each
// with its own bound, its output in its own files, then prints one length-delimited frame per
// probe. The parser reads frames by length, never by searching the payload, so nothing a probe
// prints (remote bytes) can forge another probe's exit status or output; every header also carries
// a per-run nonce. Without a writable temp dir or the few tools the script needs, the script says
// so and the caller runs the probes one exec each (the old way).

import type { ExecResult } from '../model/probe.js';
import { shellQuote } from './kubectl-command.js';

const TAG = 'k8snet-batch-v1';
/** At most this many bytes of each probe's stdout and of its stderr are returned. */
export const BATCH_OUTPUT_CAP = 16384;

export interface BatchProbe {
  argv: string[];
  /** Hard bound for this probe, in whole seconds: it is killed after it (then state "timeout"). */
  boundSec: number;
}

export class BatchInputError extends Error {}

function checkArgv(argv: string[]): void {
  if (argv.length === 0) throw new BatchInputError('a probe with an empty argv');
  for (const a of argv)
    if (typeof a !== 'string' || a.includes('\0')) throw new BatchInputError(`argv element ${JSON.stringify(a)} cannot be passed to a shell`);
}

/**
 * argv for one exec that runs every probe concurrently: `sh -c '<script>'`. The script is fixed
 * text plus, per probe, its index, its bound (an integer) and its argv, every word single-quoted.
 * `nonce` must be 16+ lowercase hex digits (random per run).
 */
export function buildBatchArgv(probes: BatchProbe[], nonce: string): string[] {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new BatchInputError('the nonce must be 16 to 64 lowercase hex digits');
  if (probes.length === 0) throw new BatchInputError('no probes');
  const runs = probes.map((p, i) => {
    checkArgv(p.argv);
    if (!Number.isInteger(p.boundSec) || p.boundSec < 1 || p.boundSec > 600)
      throw new BatchInputError(`bound ${p.boundSec} s is not a whole number of seconds from 1 to 600`);
    return `r ${i} ${p.boundSec} ${p.argv.map(shellQuote).join(' ')} &`;
  });
  const script = [
    `n=${nonce}; cap=${BATCH_OUTPUT_CAP}`,
    `for t in mktemp rm wc head cat sleep kill; do command -v "$t" >/dev/null 2>&1 || { echo "${TAG} $n fallback no $t"; exit 0; }; done`,
    // a private temp dir: $TMPDIR, /tmp, /dev/shm, /var/tmp (a read-only root often leaves one)
    `d=; for b in "\${TMPDIR:-/tmp}" /tmp /dev/shm /var/tmp; do d=$(mktemp -d "$b/k8snet.XXXXXX" 2>/dev/null) && [ -w "$d" ] && break; d=; done`,
    `[ -n "$d" ] || { echo "${TAG} $n fallback no writable temp dir"; exit 0; }`,
    `trap 'rm -rf "$d"' EXIT`,
    // one probe: its own files, its own watchdog (marks k, then kills); once it ends, its frame is
    // written to its own file (header with the lengths, then exactly that many bytes of stdout, then
    // of stderr), so the frames are built concurrently, not one after another once all have ended.
    // Start and end are uptime in centiseconds ("12345.67" -> 1234567), or - without /proc. Builtins
    // wherever they do (no fork for the times, none for an empty output: the pod's CPU is shared).
    `r() { i=$1; b=$2; shift 2; s=-; read u v 2>/dev/null </proc/uptime && s="\${u%.*}\${u#*.}"; ` +
      `"$@" >"$d/$i.o" 2>"$d/$i.e" </dev/null & c=$!; ` +
      `( sleep "$b"; : >"$d/$i.k"; kill -9 "$c" ) >/dev/null 2>&1 </dev/null & w=$!; ` +
      `wait "$c"; x=$?; kill "$w" 2>/dev/null; k=0; [ -e "$d/$i.k" ] && k=1; ` +
      `e=-; read u v 2>/dev/null </proc/uptime && e="\${u%.*}\${u#*.}"; ` +
      `ol=0; [ -s "$d/$i.o" ] && ol=$(wc -c <"$d/$i.o" 2>/dev/null || echo 0); ` +
      `el=0; [ -s "$d/$i.e" ] && el=$(wc -c <"$d/$i.e" 2>/dev/null || echo 0); ` +
      `ol=$((ol > cap ? cap : ol)); el=$((el > cap ? cap : el)); ` +
      `{ echo "${TAG} $n $i $x $k $s $e $ol $el"; [ "$ol" = 0 ] || head -c "$ol" "$d/$i.o" 2>/dev/null; ` +
      `[ "$el" = 0 ] || head -c "$el" "$d/$i.e" 2>/dev/null; } >"$d/$i.f"; }`,
    ...runs,
    'wait',
    // a probe whose frame is missing (its runner died) gets an empty one without an exit status;
    // then every frame in probe order and the end line, joined in one file first and printed from it
    // (in one write when it fits cat's buffer: output written in parts reached k8snet in parts, the
    // later parts 40-47 ms after the first, in 5 of 6 runs on the lab); the reader need not wait for
    // the exec to end
    `cd "$d" || exit 0`,
    ...probes.map((_, i) => `[ -f ${i}.f ] || echo "${TAG} $n ${i} - 0 - - 0 0" >${i}.f`),
    `echo "${TAG} $n end" >end.f`,
    `cat ${probes.map((_, i) => `${i}.f`).join(' ')} end.f >all.f && cat all.f`,
  ].join('\n');
  return ['sh', '-c', script];
}

/** A frame's header: nonce, probe index, exit status (- when none), killed, start and end times (centiseconds or -), stdout and stderr lengths. */
const FRAME_HEADER = new RegExp(`^${TAG} ([0-9a-f]{1,64}) (\\d{1,9}) (-|\\d{1,3}) ([01]) (-|\\d{1,15}) (-|\\d{1,15}) (\\d{1,9}) (\\d{1,9})$`);

interface FrameFields {
  exit: string;
  killed: string;
  startCs: string;
  endCs: string;
}

/**
 * Probe i's frame at `pos`: its header line (nonce and index checked) and where its payload starts;
 * null unless the whole frame (header and both lengths of bytes) is in `stdout`.
 */
function frameAt(stdout: Buffer, pos: number, i: number, nonce: string): { fields: FrameFields; start: number; ol: number; el: number } | null {
  const nl = stdout.indexOf(0x0a, pos);
  if (nl < 0) return null;
  const line = stdout.subarray(pos, nl).toString('latin1');
  // one pattern for every header (not one compiled per frame: 15 probes read twice cost 30 compiles)
  const m = FRAME_HEADER.exec(line);
  if (!m || m[1] !== nonce || m[2] !== String(i)) return null;
  const ol = Number(m[7]);
  const el = Number(m[8]);
  if (ol > BATCH_OUTPUT_CAP || el > BATCH_OUTPUT_CAP || nl + 1 + ol + el > stdout.length) return null;
  return { fields: { exit: m[3], killed: m[4], startCs: m[5], endCs: m[6] }, start: nl + 1, ol, el };
}

/**
 * Whether the batch's output is complete: every probe's frame, walked by length from the start (no
 * payload byte is searched), followed by the end line. Then the results are all there and the
 * reader need not wait for the exec itself to end (the shell still removes its temp dir and exits).
 */
export function batchComplete(stdout: Buffer, probeCount: number, nonce: string): boolean {
  const end = Buffer.from(`${TAG} ${nonce} end\n`, 'latin1');
  // asked on every chunk of output: the frames are walked only once the output ends as the batch does
  // (the end line is the last thing the script prints)
  if (stdout.length < end.length || !stdout.subarray(stdout.length - end.length).equals(end)) return false;
  let pos = 0;
  for (let i = 0; i < probeCount; i++) {
    const f = frameAt(stdout, pos, i, nonce);
    if (!f) return false;
    pos = f.start + f.ol + f.el;
  }
  return stdout.length === pos + end.length;
}

export type BatchParse =
  | { kind: 'results'; results: ExecResult[] }
  /** The batch could not run in this container: run the probes one exec each. */
  | { kind: 'fallback'; why: string };

/**
 * Splits the batch exec's raw stdout into one ExecResult per probe. `batch` is the batch exec's
 * own result (for its state and elapsed time); `stdout` its raw bytes.
 */
export function parseBatch(batch: ExecResult, stdout: Buffer, probes: BatchProbe[], nonce: string): BatchParse {
  const base = { namespace: batch.namespace, pod: batch.pod, container: batch.container };
  const head = stdout.subarray(0, 200).toString('latin1');
  const fb = new RegExp(`^${TAG} ${nonce} fallback ([a-z ]{1,40})\\n`).exec(head);
  if (fb && batch.state === 'completed') return { kind: 'fallback', why: fb[1] };
  if (batch.state === 'exec-failed') return { kind: 'fallback', why: `the batch exec failed: ${batch.error ?? batch.errorKind ?? 'unknown'}` };
  const results: ExecResult[] = [];
  let pos = 0;
  for (let i = 0; i < probes.length; i++) {
    const argv = probes[i].argv;
    const f = frameAt(stdout, pos, i, nonce);
    if (!f) {
      // no complete frame: the batch was cut short (its deadline) or its output is not ours
      const why =
        batch.state === 'timeout' ? 'the batch exec hit its deadline before this probe reported' : 'no result frame for this probe in the batch output';
      for (let j = i; j < probes.length; j++) {
        results.push({
          ...base,
          argv: probes[j].argv,
          state: batch.state === 'timeout' ? 'timeout' : 'exec-failed',
          exitCode: null,
          stdout: '',
          stderr: '',
          elapsedMs: batch.elapsedMs,
          error: why,
          errorKind: batch.state === 'timeout' ? undefined : 'other',
        });
      }
      break;
    }
    const { fields, start, ol, el } = f;
    const out = stdout.subarray(start, start + ol).toString('utf8');
    const err = stdout.subarray(start + ol, start + ol + el).toString('utf8');
    pos = start + ol + el;
    const { exit: x, killed, startCs: s, endCs: e } = fields;
    const elapsedMs = s !== '-' && e !== '-' ? (Number(e) - Number(s)) * 10 : batch.elapsedMs;
    if (killed === '1') {
      results.push({
        ...base,
        argv,
        state: 'timeout',
        exitCode: null,
        stdout: out,
        stderr: err,
        elapsedMs,
        error: `no result after ${probes[i].boundSec} s; the probe was killed in the pod`,
      });
    } else if (x === '-') {
      results.push({
        ...base,
        argv,
        state: 'exec-failed',
        exitCode: null,
        stdout: out,
        stderr: err,
        elapsedMs,
        error: 'the probe left no exit status',
        errorKind: 'other',
      });
    } else if (x === '127' && /not found/i.test(err)) {
      results.push({
        ...base,
        argv,
        state: 'exec-failed',
        exitCode: null,
        stdout: out,
        stderr: err,
        elapsedMs,
        error: err.trim().split('\n')[0],
        errorKind: 'not-found-binary',
      });
    } else {
      results.push({ ...base, argv, state: 'completed', exitCode: Number(x), stdout: out, stderr: err, elapsedMs });
    }
  }
  return { kind: 'results', results };
}
