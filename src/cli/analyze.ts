// `k8snet analyze FILE`: the analysis of saved facts, no cluster. Its own module, importing the
// analysis statically, so that `analyze` loads its code in one step (start-up: docs/benchmarks.md).

import { parseOutput } from './args.js';
import type { Io } from './output.js';
import { readJsonFile } from './read-json.js';
import { redactFacts, renderFacts, validateFacts } from './render-facts.js';

// eslint-disable-next-line @typescript-eslint/require-await -- async on purpose: a bad file rejects like the live path, never throws synchronously
export async function runAnalyze(file: string, opts: { output?: string; color?: boolean; verbose?: boolean }, io: Io): Promise<number> {
  const output = parseOutput(opts.output, io.stdoutIsTty);
  // a file from an older k8snet may still carry env values or unrelated log lines: redact on read
  const facts = redactFacts(validateFacts(readJsonFile(file, 'facts file'), file));
  return renderFacts(facts, output, opts, io);
}
