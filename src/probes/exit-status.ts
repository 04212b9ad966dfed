// Outcomes every probe shares, read from the exec status alone: exec failures, deadlines, signals, missing tools.
import type { ExecResult } from '../model/probe.js';
import { WATCHDOG_NAME, WATCHDOG_SCRIPT } from './probe-command.js';

/** A verdict reached before looking at what the tool printed. */
export interface StatusVerdict {
  /** deadline: k8snet's own exec deadline cut the probe - k8snet could not tell (never a network timeout). */
  kind: 'tool-missing' | 'exec-failed' | 'timeout' | 'deadline' | 'crashed' | 'error';
  detail: string;
}

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

/** True when argv is `timeout N PROG ...` (busybox or coreutils). */
export function isTimeoutWrapped(argv: string[]): boolean {
  return argv[0] === 'timeout' && /^\d+$/.test(argv[1] ?? '');
}

/** True when argv is k8snet's sh watchdog: `sh -c WATCHDOG_SCRIPT k8snet-watchdog N PROG ...`. */
export function isWatchdogWrapped(argv: string[]): boolean {
  return argv[0] === 'sh' && argv[1] === '-c' && argv[2] === WATCHDOG_SCRIPT && argv[3] === WATCHDOG_NAME && /^\d+$/.test(argv[4] ?? '');
}

/** True when the probe is bounded inside the container by `timeout N` or the sh watchdog. */
export function isBounded(argv: string[]): boolean {
  return isTimeoutWrapped(argv) || isWatchdogWrapped(argv);
}

/** The program after an optional `timeout N` or watchdog prefix. */
export function programOf(argv: string[]): string {
  return (isTimeoutWrapped(argv) ? argv[2] : isWatchdogWrapped(argv) ? argv[5] : argv[0]) ?? '';
}

/**
 * Judges the exec status: undefined exec = no tool; exec-failed (binary missing = tool-missing);
 * k8snet's own deadline; `timeout` wrapper exits (and 124 from k8snet's sh watchdog) (124 coreutils, 143 = SIGTERM from busybox timeout,
 * 137 = SIGKILL after -k); 127 = command not found; other exits above 128 = killed by a signal.
 * Returns null when the tool ran and exited normally: the tool's own parser takes over.
 */
export function judgeExecStatus(exec: ExecResult | undefined): StatusVerdict | null {
  if (!exec) return { kind: 'tool-missing', detail: 'no tool in the container can run this probe; nothing was executed' };
  const prog = programOf(exec.argv);
  if (exec.state === 'exec-failed') {
    if (exec.errorKind === 'not-found-binary') {
      return { kind: 'tool-missing', detail: `the exec API could not start ${exec.argv[0] ?? '?'}: ${exec.error ?? 'binary not found'}` };
    }
    return { kind: 'exec-failed', detail: `exec failed (${exec.errorKind ?? 'other'}): ${exec.error ?? 'no message'}` };
  }
  if (exec.state === 'timeout') {
    return {
      kind: 'deadline',
      detail: `k8snet could not tell: the exec of ${prog} did not complete before k8snet's own deadline (${exec.elapsedMs} ms), so its result is unknown - this says nothing about the network (the exec stream, kubelet or API server may be slow)`,
    };
  }
  const code = exec.exitCode;
  if (code === null) return { kind: 'error', detail: `${prog} completed but the exec API returned no exit code` };
  if (isTimeoutWrapped(exec.argv)) {
    const n = exec.argv[1];
    if (code === 124) return { kind: 'timeout', detail: `timeout ${n} stopped ${prog} (exit 124): no result within ${n} s` };
    if (code === 143) return { kind: 'timeout', detail: `timeout ${n} stopped ${prog} with SIGTERM (exit 143): no result within ${n} s` };
    if (code === 137) return { kind: 'timeout', detail: `${prog} was killed with SIGKILL (exit 137) after timeout ${n}` };
    if (code === 125 || code === 126) return { kind: 'error', detail: `timeout could not run ${prog} (exit ${code})` };
  }
  if (isWatchdogWrapped(exec.argv)) {
    const n = exec.argv[4];
    if (code === 124) return { kind: 'timeout', detail: `k8snet's sh watchdog killed ${prog} after ${n} s (exit 124): no result within ${n} s` };
  }
  if (code === 127) return { kind: 'tool-missing', detail: `${prog}: command not found (exit 127)` };
  if (code > 128 && code < 128 + 65) {
    const sig = SIGNALS[code - 128] ?? `signal ${code - 128}`;
    const why = code === 139 ? ' (segmentation fault; busybox-static 1.35 `wget -T` does this)' : '';
    return { kind: 'crashed', detail: `${prog} was killed by ${sig} (exit ${code})${why}; its output says nothing about the network` };
  }
  return null;
}

/** The first non-empty line of a tool's output, for details. */
export function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '(no output)'
  );
}

/** Socket errno text as printed by curl -v, wget, nc: maps to a connect outcome, or null. */
export function errnoOutcome(text: string): 'refused' | 'no-route' | 'timeout' | 'reset' | null {
  if (/connection refused/i.test(text)) return 'refused';
  if (/no route to host|network is unreachable|host is unreachable/i.test(text)) return 'no-route';
  if (/connection reset by peer/i.test(text)) return 'reset';
  if (/timed out|timeout/i.test(text)) return 'timeout';
  return null;
}
