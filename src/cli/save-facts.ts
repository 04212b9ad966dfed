// `--save FILE`: check the path before the run (creating nothing), write the facts after it -
// redacted (src/model/redact-facts.ts), readable by the owner only (0600), and only when a run
// produced facts, so a failed run leaves no empty file behind.

import { accessSync, closeSync, constants, existsSync, fchmodSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Facts } from '../model/facts.js';
import { redactFacts } from '../model/redact-facts.js';

/** Refuse a --save path that cannot be written, before touching the cluster; creates nothing. */
export function checkSavePath(file: string): void {
  const fail = (why: string) => new UserError({ message: `--save: cannot write ${file}`, why, next: 'choose a writable path (the folder must exist)' });
  const abs = resolve(file);
  try {
    if (existsSync(abs)) {
      if (statSync(abs).isDirectory()) throw fail('it is a directory');
      accessSync(abs, constants.W_OK);
    } else {
      const dir = dirname(abs);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw fail(`folder ${dir} does not exist`);
      accessSync(dir, constants.W_OK);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError({ message: `--save: cannot write ${file}`, why: (e as Error).message, next: 'choose a writable path', cause: e });
  }
}

/** Write redacted facts with mode 0600 (also when the file existed with wider permissions). */
export function writeFactsFile(file: string, facts: Facts): void {
  const text = `${JSON.stringify(redactFacts(facts), null, 2)}\n`;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'w', 0o600);
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } catch (e) {
    throw new UserError({
      message: `--save: could not write the facts to ${file}`,
      why: (e as Error).message,
      next: 'choose a writable path; the diagnosis itself is below',
      cause: e,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
