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

/** Analyses the facts, writes the report in the chosen format, returns the exit code. */
export function renderFacts(facts: Facts, output: OutputFormat, opts: { color?: boolean; verbose?: boolean }, io: Io): number {
  const { report, diagnosis } = analyzeFacts(facts);
  if (output === 'json') io.out(renderJson(report));
  else if (output === 'markdown') io.out(renderMarkdown(report));
  else io.out(renderTable(report, { color: useColor(opts.color, io), verbose: !!opts.verbose, unicode: unicodeFromEnv(process.env) }));
  return exitCodeFor(diagnosis);
}
