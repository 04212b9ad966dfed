// The analysing half of `diagnose` and `analyze`: facts -> checks -> diagnosis -> report -> exit code.
// In a module of its own because it is most of the code a run loads: `diagnose` starts loading it
// once its requests are on the wire, so compiling it overlaps the cluster's answers instead of
// delaying the first request (issue 11; docs/benchmarks.md).

import type { Facts } from '../model/facts.js';
import { analyzeFacts } from '../pipeline.js';
import { renderJson, renderMarkdown, renderTable } from '../report/index.js';
import { unicodeFromEnv } from '../report/path-text.js';
import { exitCodeFor } from '../diagnosis/index.js';
import type { OutputFormat } from '../report/types.js';
import { useColor, type Io } from './output.js';

export { validateFacts } from '../pipeline.js';
export { redactFacts } from '../model/redact-facts.js';

type RenderOptions = { color?: boolean; verbose?: boolean };

/** Analyses the facts, writes the report in the chosen format, returns the exit code. */
export function renderFacts(facts: Facts, output: OutputFormat, opts: RenderOptions, io: Io): number {
  const { report, diagnosis } = analyzeFacts(facts);
  io.out(render(report, output, opts, io));
  return exitCodeFor(diagnosis);
}

function render(report: ReturnType<typeof analyzeFacts>['report'], output: OutputFormat, opts: RenderOptions, io: Io): string {
  if (output === 'json') return renderJson(report);
  if (output === 'markdown') return renderMarkdown(report);
  return renderTable(report, { color: useColor(opts.color, io), verbose: !!opts.verbose, unicode: unicodeFromEnv(process.env) });
}

/**
 * Runs the analysis and the chosen renderer once on facts that are not the run's (the facts read so
 * far, while the source pod is inspected and probed), and throws the result away: V8 compiles functions when
 * they are first called, and that compiling then happens while the process waits on the pod instead
 * of after the last answer (issue 11; docs/benchmarks.md). Nothing is written. Steps yield to the
 * event loop, and it stops at the first step after `stop()` turns true (the real facts are in).
 */
export async function warmUp(preview: () => Promise<Facts | undefined>, output: OutputFormat, opts: RenderOptions, io: Io, stop: () => boolean): Promise<void> {
  const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));
  await yieldNow();
  if (stop()) return;
  const facts = await preview();
  if (!facts) return;
  await yieldNow();
  if (stop()) return;
  const { report } = analyzeFacts(facts);
  await yieldNow();
  if (stop()) return;
  render(report, output, opts, io);
}
