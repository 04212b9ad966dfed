// Builds the argv that reads a small file (e.g. /etc/resolv.conf) from the container with cat.
import { ProbeInputError } from './probe-input-error.js';

/** `cat PATH` for an absolute path made of safe characters; the path is one argv element, never shell text. */
export function buildReadFileArgv(path: string): string[] {
  if (!/^\/[A-Za-z0-9._\-/]*$/.test(path) || path.split('/').includes('..')) {
    throw new ProbeInputError('filePath', path, 'must be an absolute path of letters, digits, ".", "_", "-" and "/" without ".."');
  }
  return ['cat', path];
}
