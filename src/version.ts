// The k8snet version, read once from package.json.

import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// The bundle (scripts/build.mjs) defines it at build time: a chunk cannot find package.json by a
// relative path. tsc builds and tests read package.json.
declare const __K8SNET_VERSION__: string | undefined;
export const VERSION = typeof __K8SNET_VERSION__ === 'string' ? __K8SNET_VERSION__ : readVersion();
