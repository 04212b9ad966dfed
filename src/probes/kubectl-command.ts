// Renders an exec as a paste-able `kubectl exec` line with POSIX shell quoting.

export interface ExecCommand {
  namespace: string;
  pod: string;
  container: string;
  argv: string[];
}

/** `kubectl exec -n NS POD -c C -- argv...`, every word quoted so a POSIX shell passes it through unchanged. */
export function kubectlCommand(exec: ExecCommand): string {
  const words = ['kubectl', 'exec', '-n', exec.namespace, exec.pod, '-c', exec.container, '--', ...exec.argv];
  return words.map(shellQuote).join(' ');
}

/** Bare when only safe characters; otherwise single quotes, with ' written as '\''. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_\-+=/.:,@%]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
