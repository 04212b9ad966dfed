// Normalises argv so kubectl's global-flag habits work: `k8snet --context lab diagnose ...` and
// `kubectl k8snet -n payments diagnose ...` put the cluster flags before the subcommand, which
// commander would otherwise refuse. Pure; tested in test/unit/cli/argv.test.ts.

/** kubectl global flags k8snet honours, with whether they take a value. */
const GLOBAL_FLAGS: Record<string, { value: boolean }> = {
  '--context': { value: true },
  '--kubeconfig': { value: true },
  '--namespace': { value: true },
  '-n': { value: true },
};

/**
 * Move the global flags written before the subcommand to just after it, and rewrite the pflag
 * spellings commander does not read (`-n=payments`). argv[0] and argv[1] (node, script) are kept.
 * Anything else before the subcommand (an unknown flag) stops the scan, so commander reports it.
 */
export function normalizeArgv(argv: string[]): string[] {
  const head = argv.slice(0, 2);
  const rest = argv.slice(2).flatMap(splitShortEquals);
  const hoisted: string[] = [];
  let i = 0;
  while (i < rest.length) {
    const a = rest[i];
    if (a === '--') break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const spec = GLOBAL_FLAGS[name];
    if (!spec) break;
    if (name !== a) {
      hoisted.push(a);
      i += 1;
    } else if (spec.value) {
      if (i + 1 >= rest.length) break; // missing value: leave it for commander to report
      hoisted.push(a, rest[i + 1]);
      i += 2;
    } else {
      hoisted.push(a);
      i += 1;
    }
  }
  if (hoisted.length === 0 || i >= rest.length || rest[i].startsWith('-')) return [...head, ...rest];
  const sub = rest[i];
  return [...head, sub, ...hoisted, ...rest.slice(i + 1)];
}

/** pflag accepts `-n=payments`; commander would read the value as "=payments". */
function splitShortEquals(a: string): string[] {
  const m = /^(-n)=(.*)$/.exec(a);
  return m ? [m[1], m[2]] : [a];
}
