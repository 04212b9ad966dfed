// One exec that inspects a source container: the tool detection script, then /etc/resolv.conf,
// and its parser. Replaces two round trips (detect, then `cat`) with one.
//
// Framing: the detection lines come first and are printed by our fixed script only; then one
// header line, also ours, says whether the file is readable; everything after the first header is
// the file's bytes. Nothing the container's file holds can forge a tool line or the header's
// verdict, because the file is printed only after both.

import type { ExecResult } from '../model/probe.js';
import { detectToolsArgv, parseToolDetection, type ToolDetection } from './detect-tools.js';

const RESOLV = 'k8snet-resolv-v1';

// Shell builtins only for the file (no `cat` needed); a last line without a newline is kept.
const RESOLV_SCRIPT =
  `if [ -r /etc/resolv.conf ]; then echo "${RESOLV} ok"; ` +
  `while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done </etc/resolv.conf; ` +
  `else echo "${RESOLV} unreadable"; fi`;

/** argv for the inspection exec: `sh -c '<detection script>; <resolv.conf script>'` (fixed text). */
export function inspectContainerArgv(): string[] {
  const [sh, c, detect] = detectToolsArgv();
  return [sh, c, `${detect}; ${RESOLV_SCRIPT}`];
}

export interface ContainerInspection extends ToolDetection {
  /** /etc/resolv.conf as read; undefined when unreadable or the exec did not complete. */
  resolvConf?: string;
}

export function parseContainerInspection(exec: ExecResult): ContainerInspection {
  const out = exec.stdout ?? '';
  const at = out.search(new RegExp(`(^|\\n)${RESOLV} (ok|unreadable)\\r?\\n`));
  if (at < 0) return parseToolDetection(exec);
  const headerStart = out[at] === '\n' ? at + 1 : at;
  const headerEnd = out.indexOf('\n', headerStart);
  const header = out.slice(headerStart, headerEnd).trim();
  const detection = parseToolDetection({ ...exec, stdout: out.slice(0, headerStart) });
  if (header !== `${RESOLV} ok` || exec.state !== 'completed') return detection;
  return { ...detection, resolvConf: out.slice(headerEnd + 1) };
}

// The held inspection: the same script, then a ready line with a per-run nonce, then the shell
// becomes `sh -s` and reads the probe batch script from the exec's stdin (src/gather/probe-batch.ts).
// The nonce is passed as $1 (the script text stays fixed); it is random per run and unknown when
// the container's file was written, so the file cannot end the inspection early. Everything before
// the ready line is parsed exactly as parseContainerInspection does.

const READY = 'k8snet-ready-v1';

/** argv for the held inspection exec: `sh -c '<inspection>; echo ready; exec sh -s' sh NONCE`. */
export function heldInspectionArgv(nonce: string): string[] {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error('the nonce must be 16 to 64 lowercase hex digits');
  const [sh, c, script] = inspectContainerArgv();
  return [sh, c, `${script}; echo "${READY} $1"; exec sh -s`, 'sh', nonce];
}

/**
 * Where the ready line ends in the held exec's stdout (the offset of the first byte after it, where
 * the batch's frames will start), or -1 when it has not arrived. Only a whole line equal to the
 * marker counts (at the start or after a newline).
 */
export function heldReadyEnd(stdout: Buffer, nonce: string): number {
  const line = Buffer.from(`${READY} ${nonce}\n`, 'latin1');
  let from = 0;
  for (;;) {
    const at = stdout.indexOf(line, from);
    if (at < 0) return -1;
    if (at === 0 || stdout[at - 1] === 0x0a) return at + line.length;
    from = at + 1;
  }
}

/** The inspection printed before the ready line, parsed as a completed exec of the plain script. */
export function parseHeldInspection(exec: ExecResult, stdout: Buffer, readyEnd: number, nonce: string): ContainerInspection {
  const before = stdout.subarray(0, readyEnd - `${READY} ${nonce}\n`.length).toString('utf8');
  return parseContainerInspection({ ...exec, state: 'completed', exitCode: 0, stdout: before });
}
