// Runs a list of probe commands in one exec (src/probes/batch.ts) and returns one ExecResult per
// command, or null when the container cannot run the batch (then the caller runs them one exec each).

import { randomBytes } from 'node:crypto';
import type { Api } from '../cluster/api.js';
import { runExec } from '../cluster/exec.js';
import type { ExecResult } from '../model/probe.js';
import { BATCH_OUTPUT_CAP, buildBatchArgv, parseBatch, type BatchProbe } from '../probes/batch.js';

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
