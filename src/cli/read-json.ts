// Reading a JSON file the user named (--save'd facts for analyze): a missing file or bad JSON is a UserError.

import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError({ message: `cannot read ${what} ${file}`, why: (e as Error).message, next: 'check the path' });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError({ message: `${what} ${file} is not valid JSON`, why: (e as Error).message, next: 'pass a file written by `k8snet diagnose --save`' });
  }
}
