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
