// The command a probe execs: the tool chosen and its argv (never a shell string).
import type { ToolName, ToolSet } from '../model/probe.js';

/** One probe command; argv[0] is the binary, or `timeout` / the sh watchdog wrapping it. */
export interface ProbeCommand {
  tool: ToolName;
  argv: string[];
}

export function has(tools: ToolSet, tool: ToolName): boolean {
  return tools[tool] === true;
}

/** $0 of the watchdog script: how the wrapper is recognised in an argv (and read by a human). */
export const WATCHDOG_NAME = 'k8snet-watchdog';

/**
 * A POSIX sh watchdog for a tool with no deadline flag when the container has no `timeout`: the bound
 * arrives as $1, the command as "$2"... (argv words, never shell text). The command runs in the
 * background with the exec's stdin/stdout/stderr; a subshell sleeps N s and SIGKILLs it. The watchdog
 * subshell's own status tells who ended it: 0 = it fired and killed the command (exit 124, as
 * coreutils `timeout`), 143 = still sleeping, stopped by us (the command finished: its own status is
 * passed through unchanged), 1 = it fired after the command had already exited (its status again).
 * A command that died of SIGKILL (137) is not a sign the watchdog is done: it may still be between
 * its kill and its exit (a TERM then would lose the verdict; recorded with a silent server), so the
 * script waits for it instead; a SIGKILL from elsewhere (OOM) then costs up to N s and stays 137.
 * Both `wait`s have stderr to /dev/null: busybox ash reports a job ended by a signal ("Killed",
 * "Terminated") on the shell's stderr, which is the probe's stderr (seen in the lab's toolbox).
 * The watchdog's output goes to /dev/null so a leftover `sleep` cannot hold the exec stream open.
 */
export const WATCHDOG_SCRIPT =
  'b=$1; shift; "$@" & c=$!; ' +
  '( sleep "$b"; kill -9 "$c" ) >/dev/null 2>&1 </dev/null & w=$!; ' +
  'wait "$c" 2>/dev/null; x=$?; [ "$x" -eq 137 ] || kill "$w" 2>/dev/null; wait "$w" 2>/dev/null; y=$?; ' +
  '[ "$y" -eq 0 ] && exit 124; exit "$x"';

/**
 * Bounds argv inside the container: `timeout N` when the container has it (busybox and coreutils both
 * accept `timeout SECS PROG ARGS`), else the sh watchdog when the container has sh (it ran the tool
 * detection) and `sleep`; else argv unchanged (the evidence then says the probe ran unbounded).
 */
export function withTimeout(tools: ToolSet, timeoutSec: number, argv: string[]): string[] {
  if (has(tools, 'timeout')) return ['timeout', String(timeoutSec), ...argv];
  if (has(tools, 'sleep')) return watchdogArgv(timeoutSec, argv);
  return argv;
}

/** `sh -c WATCHDOG_SCRIPT k8snet-watchdog N argv...`. */
export function watchdogArgv(timeoutSec: number, argv: string[]): string[] {
  if (!Number.isInteger(timeoutSec) || timeoutSec < 1) throw new RangeError(`watchdog bound ${timeoutSec} is not a whole number of seconds`);
  return ['sh', '-c', WATCHDOG_SCRIPT, WATCHDOG_NAME, String(timeoutSec), ...argv];
}
