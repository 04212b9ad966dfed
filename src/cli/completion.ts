// Shell completion: `k8snet completion bash|zsh|fish` prints a script; the script calls the hidden
// `k8snet __complete WORDS... CURRENT`, which prints one candidate per line and a last line
// ":DIRECTIVE" (the protocol cobra uses, so kubectl's plugin completion can call it too). Names of
// namespaces, Services, pods, workloads, Ingresses and routes come from the cluster with a short
// timeout; any failure prints no candidates (completion never errors on the prompt).

import type { Command, Option } from 'commander';

/** Cobra's directive bits. */
export const DIRECTIVE = { error: 1, noSpace: 2, noFileComp: 4 } as const;

/** The cluster reads completion may make (injected: real API in runComplete, fakes in tests). */
export interface Lister {
  namespaces(): Promise<string[]>;
  /** Names of `kind` objects in `ns`. */
  names(kind: ListKind, ns: string): Promise<string[]>;
  contexts(): string[];
  /** The namespace bare names resolve in (the -n value, else the context's). */
  defaultNamespace(): Promise<string>;
}

export type ListKind = 'services' | 'pods' | 'deployments' | 'statefulsets' | 'daemonsets' | 'ingresses' | 'httproutes';

export interface Completion {
  candidates: string[];
  directive: number;
}

const FILE_FLAGS = new Set(['--kubeconfig', '--save', '--manifests']);
const FIXED: Record<string, string[]> = {
  '--output': ['table', 'json', 'markdown'],
  '--until': ['healthy'],
  '--protocol': ['TCP', 'UDP', 'SCTP'],
  '--watch': ['2s', '5s', '10s', '30s'],
};
const SOURCE_KINDS: ListKind[] = ['pods', 'deployments', 'statefulsets', 'daemonsets'];

/** Only names Kubernetes could have reach the shell (DNS-1123 subdomains; contexts: printable, no spaces). */
const SAFE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SAFE_CONTEXT = /^[A-Za-z0-9@._:/+-]+$/;

function optionOf(cmd: Command, flag: string): Option | undefined {
  return cmd.options.find((o) => o.long === flag || o.short === flag);
}

/** Long name of a flag as typed (`-n` -> `--namespace`), or undefined if the command has no such option. */
function longOf(cmd: Command, flag: string): string | undefined {
  return optionOf(cmd, flag)?.long;
}

function takesValue(o: Option): boolean {
  return o.required || o.optional;
}

const filter = (xs: string[], prefix: string) => [...new Set(xs)].filter((x) => x.startsWith(prefix)).sort();

/** The -n/--kubeconfig/--context values already typed (they steer the cluster reads). */
export function clusterFlags(words: string[]): { namespace?: string; kubeconfig?: string; context?: string } {
  const out: { namespace?: string; kubeconfig?: string; context?: string } = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const [flag, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    const value = inline ?? words[i + 1];
    if (value === undefined) continue;
    if (flag === '-n' || flag === '--namespace') out.namespace = value;
    else if (flag === '--kubeconfig') out.kubeconfig = value;
    else if (flag === '--context') out.context = value;
  }
  return out;
}

/** NS/NAME completion: "pay" -> namespaces as "payments/" (and bare names in the default namespace); "payments/x" -> names there. */
async function nsName(cur: string, kinds: ListKind[], l: Lister): Promise<Completion> {
  const slash = cur.indexOf('/');
  if (slash >= 0) {
    const ns = cur.slice(0, slash);
    if (!SAFE_NAME.test(ns)) return { candidates: [], directive: DIRECTIVE.noFileComp };
    const lists = await Promise.all(kinds.map((k) => l.names(k, ns).catch(() => [] as string[])));
    return {
      candidates: filter(
        lists
          .flat()
          .filter((n) => SAFE_NAME.test(n))
          .map((n) => `${ns}/${n}`),
        cur,
      ),
      directive: DIRECTIVE.noFileComp,
    };
  }
  const [namespaces, bare] = await Promise.all([
    l.namespaces().catch(() => [] as string[]),
    l
      .defaultNamespace()
      .then((ns) => Promise.all(kinds.map((k) => l.names(k, ns).catch(() => [] as string[]))))
      .catch(() => [] as string[][]),
  ]);
  const cands = [...namespaces.filter((n) => SAFE_NAME.test(n)).map((n) => `${n}/`), ...bare.flat().filter((n) => SAFE_NAME.test(n))];
  return { candidates: filter(cands, cur), directive: DIRECTIVE.noSpace | DIRECTIVE.noFileComp };
}

async function flagValue(flag: string, cur: string, l: Lister): Promise<Completion> {
  const none = { candidates: [], directive: DIRECTIVE.noFileComp };
  if (FILE_FLAGS.has(flag)) return { candidates: [], directive: 0 }; // the shell completes file names
  if (FIXED[flag]) return { candidates: filter(FIXED[flag], cur), directive: DIRECTIVE.noFileComp };
  if (flag === '--namespace')
    return {
      candidates: filter(
        (await l.namespaces().catch(() => [])).filter((n) => SAFE_NAME.test(n)),
        cur,
      ),
      directive: DIRECTIVE.noFileComp,
    };
  if (flag === '--context')
    return {
      candidates: filter(
        l.contexts().filter((c) => SAFE_CONTEXT.test(c)),
        cur,
      ),
      directive: DIRECTIVE.noFileComp,
    };
  if (flag === '--from') return nsName(cur, SOURCE_KINDS, l);
  if (flag === '--ingress') return nsName(cur, ['ingresses'], l);
  if (flag === '--route') return nsName(cur, ['httproutes'], l);
  return none;
}

/**
 * What to offer for `words` (everything after the program name; the last word is the one being
 * completed, possibly ""). Pure apart from the lister.
 */
export async function complete(program: Command, words: string[], l: Lister): Promise<Completion> {
  const none = { candidates: [], directive: DIRECTIVE.noFileComp };
  const before = words.slice(0, -1);
  const cur = words[words.length - 1] ?? '';
  // the subcommand: the first word that is not a flag or a global flag's value
  let i = 0;
  while (i < before.length && before[i].startsWith('-')) i += ['--context', '--kubeconfig', '--namespace', '-n'].includes(before[i]) ? 2 : 1;
  if (i >= before.length) {
    if (cur.startsWith('-'))
      return { candidates: filter(['--help', '--version', '--context', '--kubeconfig', '--namespace'], cur), directive: DIRECTIVE.noFileComp };
    const prev = before[before.length - 1];
    if (prev === '-n' || prev === '--namespace') return flagValue('--namespace', cur, l);
    if (prev === '--context') return flagValue('--context', cur, l);
    if (prev === '--kubeconfig') return flagValue('--kubeconfig', cur, l);
    return {
      candidates: filter(
        program.commands.map((c) => c.name()),
        cur,
      ),
      directive: DIRECTIVE.noFileComp,
    };
  }
  const sub = program.commands.find((c) => c.name() === before[i]);
  if (!sub) return none;
  const rest = before.slice(i + 1);

  // --flag=value being typed
  if (cur.startsWith('--') && cur.includes('=')) {
    const flag = cur.slice(0, cur.indexOf('='));
    const long = longOf(sub, flag);
    if (!long) return none;
    const c = await flagValue(long, cur.slice(flag.length + 1), l);
    return { ...c, candidates: c.candidates.map((x) => `${flag}=${x}`) };
  }
  // the value of the flag just before
  const prev = rest[rest.length - 1];
  if (prev !== undefined && prev.startsWith('-') && !prev.includes('=')) {
    const o = optionOf(sub, prev);
    if (o && takesValue(o)) return flagValue(o.long ?? prev, cur, l);
  }
  if (cur.startsWith('-')) {
    const flags = sub.options.flatMap((o) => [o.long, o.short]).filter((x): x is string => !!x && !x.startsWith('--no-'));
    return { candidates: filter([...flags, '--help'], cur), directive: DIRECTIVE.noFileComp };
  }
  // positional: how many came before (flags and their values skipped)
  let positional = 0;
  for (let j = 0; j < rest.length; j++) {
    const w = rest[j];
    if (w.startsWith('-')) {
      const o = optionOf(sub, w.includes('=') ? w.slice(0, w.indexOf('=')) : w);
      if (o && takesValue(o) && !w.includes('=') && (o.required || (rest[j + 1] !== undefined && !rest[j + 1].startsWith('-')))) j++;
      continue;
    }
    positional++;
  }
  switch (sub.name()) {
    case 'diagnose':
      return positional === 0 ? nsName(cur, ['services'], l) : none;
    case 'policy':
      return positional < 2 ? nsName(cur, [...SOURCE_KINDS, 'services'], l) : none;
    case 'analyze':
      return positional === 0 ? { candidates: [], directive: 0 } : none;
    case 'sweep': {
      // NS[,NS]: complete the namespace after the last comma
      if (positional > 0) return none;
      const comma = cur.lastIndexOf(',');
      const head = cur.slice(0, comma + 1);
      const namespaces = (await l.namespaces().catch(() => [] as string[])).filter((n) => SAFE_NAME.test(n));
      return {
        candidates: filter(
          namespaces.map((n) => head + n),
          cur,
        ),
        directive: DIRECTIVE.noFileComp,
      };
    }
    case 'completion':
      return positional === 0 ? { candidates: filter(['bash', 'zsh', 'fish'], cur), directive: DIRECTIVE.noFileComp } : none;
    default:
      return none;
  }
}

const LIST_PATHS: Record<ListKind, (ns: string) => string> = {
  services: (ns) => `/api/v1/namespaces/${ns}/services`,
  pods: (ns) => `/api/v1/namespaces/${ns}/pods`,
  deployments: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`,
  statefulsets: (ns) => `/apis/apps/v1/namespaces/${ns}/statefulsets`,
  daemonsets: (ns) => `/apis/apps/v1/namespaces/${ns}/daemonsets`,
  ingresses: (ns) => `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
  httproutes: (ns) => `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`,
};

/** Completion's whole budget for cluster reads. */
export const COMPLETE_TIMEOUT_MS = 2000;

/** The real lister: the kubeconfig as the typed flags say, reads bounded by COMPLETE_TIMEOUT_MS in all. */
export async function clusterLister(flags: ReturnType<typeof clusterFlags>): Promise<{ lister: Lister; close: () => void }> {
  const { loadKubeConfig } = await import('../cluster/kubeconfig.js');
  const { Api } = await import('../cluster/api.js');
  const loaded = await loadKubeConfig(flags);
  const api = new Api(loaded.kc, Date.now() + COMPLETE_TIMEOUT_MS, COMPLETE_TIMEOUT_MS);
  const names = async (path: string) => {
    const r = await api.list<{ metadata?: { name?: string } }>(`${path}?limit=500`);
    return r.state === 'ok' ? r.value.map((x) => x.metadata?.name ?? '').filter(Boolean) : [];
  };
  return {
    lister: {
      namespaces: () => names('/api/v1/namespaces'),
      names: (kind, ns) => names(LIST_PATHS[kind](ns)),
      contexts: () => loaded.kc.getContexts().map((c) => c.name),
      defaultNamespace: () => Promise.resolve(loaded.namespace),
    },
    close: () => api.close(),
  };
}

/** `k8snet __complete WORDS...`: prints the candidates and ":DIRECTIVE"; never fails loudly. */
export async function runComplete(program: Command, words: string[], out: (s: string) => void): Promise<number> {
  let result: Completion = { candidates: [], directive: DIRECTIVE.noFileComp };
  let close = () => undefined as void;
  try {
    const flags = clusterFlags(words.slice(0, -1));
    // the lister is made lazily: completing a subcommand or a flag name needs no kubeconfig
    let made: Promise<Lister> | undefined;
    const lazy = (): Promise<Lister> => (made ??= clusterLister(flags).then((x) => ((close = x.close), x.lister)));
    const lister: Lister = {
      namespaces: () => lazy().then((l) => l.namespaces()),
      names: (k, ns) => lazy().then((l) => l.names(k, ns)),
      contexts: () => [],
      defaultNamespace: () => lazy().then((l) => l.defaultNamespace()),
    };
    const prevIsContext = words.length >= 2 && words[words.length - 2] === '--context';
    if (prevIsContext) {
      const real = await lazy().catch(() => undefined);
      lister.contexts = () => real?.contexts() ?? [];
    }
    result = await complete(program, words, lister);
  } catch {
    // silent by design: a completion that cannot reach the cluster offers nothing
  } finally {
    close();
  }
  out([...result.candidates, `:${result.directive}`].join('\n'));
  return 0;
}
