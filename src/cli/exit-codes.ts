// The process exit codes of every k8snet command, in one place (README "Output and exit codes").

export const EXIT = {
  /** every layer passed / the flow is allowed */
  ok: 0,
  /** a fault was diagnosed / the flow is denied */
  fault: 1,
  /** usage error: bad name, selector, port, path, file or manifest */
  usage: 2,
  /** the cluster could not be checked: unreachable, credentials rejected or not obtainable, forbidden, timed out, or inconclusive */
  cluster: 3,
  /** k8snet itself failed unexpectedly (a bug): never a statement about the cluster */
  internal: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
