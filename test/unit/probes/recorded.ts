// Loads the probe outputs recorded by test/fixtures/probes/record.sh (real tools, loopback netns).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProbeFact, ToolSet } from '../../../src/model/probe.js';

export interface RecordedProbe {
  note: string;
  versions: Record<string, string>;
  /** The tools the recording "container" had; null when the command is not a builder's output. */
  tools: ToolSet | null;
  timeoutSec: number;
  probe: ProbeFact;
}

export const RECORDED_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/probes/recorded');

export function recorded(name: string): RecordedProbe {
  return JSON.parse(readFileSync(join(RECORDED_DIR, `${name}.json`), 'utf8')) as RecordedProbe;
}

export function allRecorded(): [string, RecordedProbe][] {
  return readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), recorded(f.replace(/\.json$/, ''))]);
}
