// Runs a list of probe commands in one exec (src/probes/batch.ts) and returns one ExecResult per
// command, or null when the container cannot run the batch (then the caller runs them one exec each).

import { randomBytes } from 'node:crypto';
import type { Api } from '../cluster/api.js';
import { HeldExec, runExec, type ExecSocketFactory } from '../cluster/exec.js';
import { heldInspectionArgv, heldReadyEnd, parseContainerInspection, parseHeldInspection, type ContainerInspection } from '../probes/inspect-container.js';
import type { ExecResult } from '../model/probe.js';
import { BATCH_OUTPUT_CAP, batchComplete, buildBatchArgv, parseBatch, type BatchProbe } from '../probes/batch.js';

export interface BatchSite {
  namespace: string;
  pod: string;
  container: string;
}

/**
 * Each probe is bounded in the pod at its tool's timeout + 1 s (the tool's own `timeout` wrapper
 * normally ends it first); the exec as a whole gets probeTimeout + 2 s, as a single probe did.
 */
export async function runProbeBatch(
  api: Api,
  site: BatchSite,
  argvs: string[][],
  probeTimeoutMs: number,
): Promise<{ results: ExecResult[] } | { fallback: string }> {
  const nonce = randomBytes(8).toString('hex');
  const probes: BatchProbe[] = argvs.map((argv) => ({ argv, boundSec: Math.ceil(probeTimeoutMs / 1000) + 1 }));
  const argv = buildBatchArgv(probes, nonce);
  const exec = await runExec(api, {
    ...site,
    argv,
    timeoutMs: probeTimeoutMs + 2000,
    maxBytes: probes.length * (2 * BATCH_OUTPUT_CAP + 200) + 200,
    rawStdout: true,
  });
  const parsed = parseBatch(exec, exec.stdoutRaw ?? Buffer.from(exec.stdout), probes, nonce);
  return parsed.kind === 'fallback' ? { fallback: parsed.why } : { results: parsed.results };
}

/** The source inspection's exec, held open after its ready line (src/gather/index.ts, inspectSource). */
export interface HeldSession {
  exec: HeldExec;
  /** Where the batch's output starts in the exec's stdout (just after the ready line). */
  readyEnd: number;
  /** Set when a batch got its results from this exec. */
  ranProbes?: boolean;
}

/**
 * The same batch, sent as a script to the held inspection shell (`sh -s`) instead of a new exec. The
 * script is buildBatchArgv's fixed text ending in `exit`, so the shell ends itself; the bound is
 * probeTimeout + 2 s from when the script is sent, and never past the run's deadline. `unavailable`:
 * the held exec had already ended (the caller runs the probes in a new exec, as before).
 */
export async function runHeldBatch(
  api: Api,
  held: HeldSession,
  argvs: string[][],
  probeTimeoutMs: number,
): Promise<{ results: ExecResult[] } | { fallback: string } | { unavailable: string }> {
  const unavailable = () => ({ unavailable: held.exec.endReason ?? `the inspection exec had ended (${held.exec.snapshot().error ?? 'its shell exited'})` });
  if (held.exec.isEnded) return unavailable();
  const nonce = randomBytes(8).toString('hex');
  const probes: BatchProbe[] = argvs.map((argv) => ({ argv, boundSec: Math.ceil(probeTimeoutMs / 1000) + 1 }));
  const script = `${buildBatchArgv(probes, nonce)[2]}\nexit\n`;
  held.exec.setStdoutCap(held.readyEnd + probes.length * (2 * BATCH_OUTPUT_CAP + 200) + 200);
  const sent = Date.now();
  if (!held.exec.write(script)) return unavailable();
  // the results are read as soon as the last frame and the end line are in (the shell's own exit,
  // and the exec's status after it, come later and are not waited for)
  const bound = Math.max(1, Math.min(probeTimeoutMs + 2000, api.remaining()));
  const waited = await held.exec.waitFor((out) => batchComplete(out.subarray(held.readyEnd), probes.length, nonce), bound);
  if (waited === 'timeout') held.exec.terminate(`no result after ${bound} ms; k8snet stopped waiting`);
  const exec = held.exec.snapshot(sent);
  if (waited === 'matched') {
    // complete: read as a finished exec, and the stream closed now (the shell ends by itself)
    Object.assign(exec, { state: 'completed', exitCode: 0 });
    delete exec.error;
    held.exec.release();
  }
  const parsed = parseBatch(exec, exec.stdoutRaw.subarray(held.readyEnd), probes, nonce);
  if (parsed.kind === 'results') held.ranProbes = true;
  return parsed.kind === 'fallback' ? { fallback: parsed.why } : { results: parsed.results };
}

/** The source inspection, held: its exec (as the plain inspection's would read), parse, and session. */
export interface HeldInspection {
  exec: ExecResult;
  inspection: ContainerInspection;
  /** Absent when the shell ended after its ready line (no stdin): the probes then take new execs. */
  session?: HeldSession;
}

/** The inspection's own bound for the ready line (as for the plain inspection exec). */
export const INSPECTION_TIMEOUT_MS = 6000;
const INSPECTION_MAX_BYTES = 64 * 1024;

/**
 * Open the inspection exec with stdin and wait for its ready line (at most 6 s). The inspection is
 * parsed only once the ready line (with this run's nonce) has arrived, or once the exec has ended.
 * null: the held exec could not serve (the API server or container refused stdin, or the output
 * outgrew its cap before the ready line): the caller runs the plain inspection exec as before.
 */
export async function inspectHeld(api: Api, site: BatchSite, socket?: ExecSocketFactory, timeoutMs = INSPECTION_TIMEOUT_MS): Promise<HeldInspection | null> {
  const nonce = randomBytes(8).toString('hex');
  const exec = await HeldExec.open(api, { ...site, argv: heldInspectionArgv(nonce), maxBytes: INSPECTION_MAX_BYTES, ...(socket ? { socket } : {}) });
  const waited = await exec.waitFor((out) => heldReadyEnd(out, nonce) >= 0 || out.length >= INSPECTION_MAX_BYTES, Math.min(timeoutMs, api.remaining()));
  const out = exec.stdout();
  const readyEnd = heldReadyEnd(out, nonce);
  if (waited === 'matched' && readyEnd >= 0) {
    const snap = exec.snapshot();
    const result: ExecResult = { ...snap, state: 'completed', exitCode: 0, stdout: out.subarray(0, readyEnd).toString('utf8') };
    delete (result as { stdoutRaw?: Buffer }).stdoutRaw;
    delete result.error;
    return { exec: result, inspection: parseHeldInspection(snap, out, readyEnd, nonce), ...(exec.isEnded ? {} : { session: { exec, readyEnd } }) };
  }
  if (waited === 'timeout') exec.terminate(`no result after ${Math.min(timeoutMs, api.remaining())} ms; k8snet stopped waiting`);
  else if (!exec.isEnded) {
    exec.terminate('the inspection output outgrew its cap before the ready line');
    return null;
  }
  const snap = exec.snapshot();
  delete (snap as { stdoutRaw?: Buffer }).stdoutRaw;
  // the exec ended (or timed out) without the ready line: judged as the plain inspection's would be
  // (no sh, forbidden, unreachable, not running, timeout); any other refusal (stdin) -> the plain exec
  const plainOutcome =
    snap.state !== 'exec-failed' ||
    snap.errorKind === 'not-found-binary' ||
    snap.errorKind === 'forbidden' ||
    snap.errorKind === 'unreachable' ||
    snap.errorKind === 'container-not-running';
  return plainOutcome ? { exec: snap, inspection: parseContainerInspection(snap) } : null;
}
