// One exec that lists which probe tools a container has, and its parser.
import { NC_EXEC, TOOL_NAMES, type ExecResult, type ToolSet } from '../model/probe.js';

const MARKER = 'k8snet-detect-v1';

// A fixed script: the tool names are constants, nothing user-supplied is interpolated.
// `command -v` is POSIX and works in busybox sh, dash and bash (it finds busybox applets too).
// nc counts only when it can do a zero-I/O scan (-z): Debian's busybox nc cannot, and would hang.
// Busybox nc can instead run a program once connected (-e PROG): reported as the capability ncexec.
const SCRIPT =
  `echo ${MARKER}; for t in ${TOOL_NAMES.join(' ')}; do ` +
  'if command -v "$t" >/dev/null 2>&1; then ' +
  'if [ "$t" = nc ]; then h="$(nc -h 2>&1 </dev/null)"; case "$h" in *-z*) echo "nc=yes";; *) echo "nc=no";; esac; ' +
  `case "$h" in *"-e PROG"*) echo "${NC_EXEC}=yes";; *) echo "${NC_EXEC}=no";; esac; ` +
  'else echo "$t=yes"; fi; else echo "$t=no"; fi; done';

/** argv for the detection exec: `sh -c '<fixed script>'`. */
export function detectToolsArgv(): string[] {
  return ['sh', '-c', SCRIPT];
}

export interface ToolDetection {
  /** Tools found/not found; null when detection could not run or its output was not ours. */
  tools: ToolSet | null;
  /** false: the container has no `sh` (distroless); null: could not tell. */
  hasShell: boolean | null;
  detail: string;
}

export function parseToolDetection(exec: ExecResult): ToolDetection {
  if (exec.state === 'exec-failed') {
    if (exec.errorKind === 'not-found-binary') {
      return { tools: null, hasShell: false, detail: `no sh in the container (likely distroless): ${exec.error ?? 'binary not found'}` };
    }
    return { tools: null, hasShell: null, detail: `tool detection exec failed (${exec.errorKind ?? 'other'}): ${exec.error ?? 'no message'}` };
  }
  if (exec.state === 'timeout') {
    return { tools: null, hasShell: null, detail: `tool detection did not finish within ${exec.elapsedMs} ms` };
  }
  const lines = exec.stdout.split(/\r?\n/);
  if (exec.exitCode === 127) {
    return { tools: null, hasShell: false, detail: 'sh: command not found (exit 127)' };
  }
  if (!lines.includes(MARKER)) {
    return {
      tools: null,
      hasShell: true,
      detail: `sh ran (exit ${exec.exitCode}) but did not print the detection marker; stderr: ${firstLine(exec.stderr)}`,
    };
  }
  const tools: ToolSet = {};
  for (const line of lines) {
    const m = /^([a-z]+)=(yes|no)$/.exec(line.trim());
    if (m && ((TOOL_NAMES as readonly string[]).includes(m[1]) || m[1] === NC_EXEC)) tools[m[1] as keyof ToolSet] = m[2] === 'yes';
  }
  const found: string[] = TOOL_NAMES.filter((t) => tools[t]);
  if (tools[NC_EXEC]) found.push('nc -e (connect-only)');
  return { tools, hasShell: true, detail: `found: ${found.length ? found.join(', ') : 'none of ' + TOOL_NAMES.join(', ')}` };
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '(empty)'
  );
}
