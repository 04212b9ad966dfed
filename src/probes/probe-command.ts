// The command a probe execs: the tool chosen and its argv (never a shell string).
import type { ToolName, ToolSet } from '../model/probe.js';

/** One probe command; argv[0] is the binary (or `timeout` wrapping it). */
export interface ProbeCommand {
  tool: ToolName;
  argv: string[];
}

export function has(tools: ToolSet, tool: ToolName): boolean {
  return tools[tool] === true;
}

/** Prefix argv with `timeout N` when the container has it (busybox and coreutils both accept `timeout SECS PROG ARGS`). */
export function withTimeout(tools: ToolSet, timeoutSec: number, argv: string[]): string[] {
  return has(tools, 'timeout') ? ['timeout', String(timeoutSec), ...argv] : argv;
}
