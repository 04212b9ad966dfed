// Loads --manifests PATH... (files or folders; .yaml/.yml/.json; many documents; Lists) into a PolicyWorld.

import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { PolicyWorld } from '../policy/types.js';
import { WorldBuilder } from './build-world.js';
import type { ManifestProblem } from './problems.js';

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const MAX_DEPTH = 16;

export interface LoadResult {
  world: PolicyWorld;
  problems: ManifestProblem[];
  /** Files read, in order. */
  files: string[];
}

function size(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses one file's text into the builder (pure; never throws). */
export function addManifestText(b: WorldBuilder, file: string, text: string): void {
  if (extname(file).toLowerCase() === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      b.problems.push({ severity: 'error', file, document: 1, message: `malformed JSON: ${message(e)}` });
      return;
    }
    b.add({ value, file, document: 1 });
    return;
  }
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch (e) {
    b.problems.push({ severity: 'error', file, message: `malformed YAML: ${message(e)}` });
    return;
  }
  if (!Array.isArray(docs)) return; // empty stream
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = err.linePos?.[0] ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : '';
      b.problems.push({ severity: 'error', file, document: i + 1, message: `malformed YAML${line}: ${err.message.split('\n')[0]}` });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      b.problems.push({ severity: 'error', file, document: i + 1, message: `cannot read YAML: ${message(e)}` });
      return;
    }
    b.add({ value, file, document: i + 1 });
  });
}

/** Builds a world from in-memory texts (tests, stdin). */
export function loadManifestTexts(inputs: { file: string; text: string }[], origin = 'manifests'): LoadResult {
  const b = new WorldBuilder();
  for (const { file, text } of inputs) addManifestText(b, file, text);
  const world = b.finish();
  world.origin = origin;
  world.enforced = null;
  return { world, problems: b.problems, files: inputs.map((i) => i.file) };
}

async function collect(path: string, depth: number, files: string[], problems: ManifestProblem[], explicit: boolean): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    problems.push({ severity: 'error', file: path, message: `cannot read: ${message(e)}` });
    return;
  }
  if (st.isDirectory()) {
    if (depth > MAX_DEPTH) {
      problems.push({ severity: 'note', file: path, message: `deeper than ${MAX_DEPTH} folders; skipped` });
      return;
    }
    let entries: string[];
    try {
      entries = (await readdir(path)).sort();
    } catch (e) {
      problems.push({ severity: 'error', file: path, message: `cannot list folder: ${message(e)}` });
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.')) continue;
      await collect(join(path, name), depth + 1, files, problems, false);
    }
    return;
  }
  if (!EXTENSIONS.has(extname(path).toLowerCase())) {
    if (explicit) problems.push({ severity: 'note', file: path, message: 'not a .yaml, .yml or .json file; skipped' });
    return;
  }
  files.push(path);
}

/** Reads files and folders (recursively). Never throws: every problem names its file and document. */
export async function loadManifests(paths: string[], opts: { maxFileBytes?: number } = {}): Promise<LoadResult> {
  const max = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files: string[] = [];
  const b = new WorldBuilder();
  for (const p of paths) await collect(p, 0, files, b.problems, true);
  const read: string[] = [];
  for (const file of files) {
    try {
      const st = await stat(file);
      if (st.size > max) {
        b.problems.push({ severity: 'error', file, message: `file is ${size(st.size)}, over the ${size(max)} limit; skipped` });
        continue;
      }
      addManifestText(b, file, await readFile(file, 'utf8'));
      read.push(file);
    } catch (e) {
      b.problems.push({ severity: 'error', file, message: `cannot read: ${message(e)}` });
    }
  }
  const world = b.finish();
  world.origin = `manifests: ${paths.join(', ')}`;
  world.enforced = null;
  return { world, problems: b.problems, files: read };
}
