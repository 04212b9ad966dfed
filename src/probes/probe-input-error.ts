// The typed error thrown when a probe target holds characters k8snet will not put on a command line.

export type ProbeInputField = 'host' | 'port' | 'path' | 'hostHeader' | 'server' | 'timeoutSec' | 'filePath';

/** A probe was asked with an unsafe or malformed value; nothing was executed. */
export class ProbeInputError extends Error {
  override readonly name = 'ProbeInputError';
  readonly field: ProbeInputField;
  readonly value: string;

  constructor(field: ProbeInputField, value: unknown, why: string) {
    const shown = JSON.stringify(String(value));
    super(`refusing to build a probe: ${field} ${shown} ${why}`);
    this.field = field;
    this.value = String(value);
  }
}
