// The two kinds of error k8snet reports: the user's input was wrong (exit 2), or the cluster could
// not be checked (exit 3). Findings about the cluster are not errors; see model/finding.ts.

export interface ErrorParts {
  /** What failed, as one sentence. */
  message: string;
  /** Why it failed. */
  why?: string;
  /** What the user can do next. */
  next?: string;
  cause?: unknown;
}

abstract class K8snetError extends Error {
  readonly why?: string;
  readonly next?: string;
  abstract readonly exitCode: 2 | 3;
  constructor(parts: ErrorParts) {
    super(parts.message, parts.cause === undefined ? undefined : { cause: parts.cause });
    this.why = parts.why;
    this.next = parts.next;
  }
}

/** Bad input: a malformed name, selector, port, file, or an option that makes no sense. Exit 2. */
export class UserError extends K8snetError {
  readonly exitCode = 2 as const;
  override name = 'UserError';
}

/** The cluster could not be checked: unreachable, credentials rejected, forbidden, timed out. Exit 3. */
export class ClusterError extends K8snetError {
  readonly exitCode = 3 as const;
  override name = 'ClusterError';
  constructor(parts: ErrorParts & { kind?: ClusterErrorKind }) {
    super(parts);
    this.kind = parts.kind ?? 'other';
  }
  readonly kind: ClusterErrorKind;
}

export type ClusterErrorKind = 'config' | 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'not-found' | 'server' | 'other';

export function isK8snetError(e: unknown): e is UserError | ClusterError {
  return e instanceof UserError || e instanceof ClusterError;
}
