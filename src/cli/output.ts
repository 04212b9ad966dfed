// The only writer to the terminal: results to stdout, errors (three parts) and the spinner to stderr.

import { inspect } from 'node:util';
import { isK8snetError } from '../errors.js';
import { neutralizeText } from '../report/neutralize.js';
import { EXIT } from './exit-codes.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  stderrIsTty: boolean;
  stdoutIsTty: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  stderrIsTty: !!process.stderr.isTTY,
  stdoutIsTty: !!process.stdout.isTTY,
};

/**
 * A reader that stops early (`k8snet ... | head`) closes stdout: the next write fails with EPIPE, which
 * Node.js would report as an unhandled error with a stack trace. The run ends quietly instead, with the
 * exit code it had set (0 if none yet).
 */
export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

/** Colour unless --no-color, NO_COLOR, or stdout is not a terminal. */
export function useColor(flag: boolean | undefined, io: Io): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTty;
}

/** The cause of an error for --debug: its stack where it has one. */
function causeText(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? String(cause);
  return typeof cause === 'string' ? cause : inspect(cause, { depth: 4 });
}

/** Print an error in three parts (what, why, next) and return its exit code. */
export function reportError(e: unknown, rawIo: Io, debug: boolean): number {
  // error texts quote API server answers and object names: neutralised like every report
  const io: Io = { ...rawIo, err: (t) => rawIo.err(neutralizeText(t, { multiline: true })) };
  if (isK8snetError(e)) {
    io.err(`error: ${e.message}`);
    if (e.why) io.err(`  why:  ${e.why}`);
    if (e.next) io.err(`  next: ${e.next}`);
    if (debug && e.cause) io.err(causeText(e.cause));
    return e.exitCode;
  }
  const err = e as { message?: string };
  io.err(`error: k8snet failed unexpectedly: ${err?.message ?? String(e)}`);
  io.err('  why:  this is a bug in k8snet, not a finding about your cluster');
  io.err('  next: re-run with --debug and report the output');
  if (debug) io.err(String((e as Error)?.stack ?? e));
  return EXIT.internal;
}

/**
 * Whether to draw the spinner: stderr is a terminal of known, non-zero width. ora divides by the
 * width to count the lines it clears, so a terminal reporting 0 columns (a pty nobody sized, e.g.
 * `script -c ... /dev/null`) made it write cursor-up sequences forever instead of finishing the run.
 */
export function spinnerWanted(enabled: boolean, stderrIsTty: boolean, columns: number | undefined): boolean {
  return enabled && stderrIsTty && columns !== undefined && Number.isFinite(columns) && columns > 0;
}

/** An ora spinner on stderr when it is a TTY and output is not machine-readable; else a no-op. */
export async function makeSpinner(io: Io, enabled: boolean): Promise<{ text: (t: string) => void; stop: () => void }> {
  if (!spinnerWanted(enabled, io.stderrIsTty, process.stderr.columns)) return { text: () => undefined, stop: () => undefined };
  const { default: ora } = await import('ora');
  const s = ora({ stream: process.stderr, text: 'Connecting to the cluster' }).start();
  return { text: (t) => void (s.text = t), stop: () => s.stop() };
}
