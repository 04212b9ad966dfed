// UsageError: the user's input (endpoint spec, port, protocol, address) cannot be evaluated.

/** Invalid input for `k8snet policy`; the CLI prints it in three parts and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Why the input cannot be used. */
  readonly why: string;
  /** What to type instead. */
  readonly next: string;

  constructor(message: string, why: string, next: string, options?: { cause?: unknown }) {
    super(message, options);
    this.why = why;
    this.next = next;
  }
}
