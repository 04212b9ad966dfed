// Completion: what `__complete` offers for typed words (a fixed in-memory cluster), and the bash
// script run by real bash: `complete -p`, COMP_WORDS/COMP_CWORD simulation, the directives.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../../../src/cli/main.js';
import { complete, clusterFlags, type Lister, type ListKind } from '../../../src/cli/completion.js';
import { completionScript } from '../../../src/cli/completion-scripts.js';
import type { Io } from '../../../src/cli/output.js';

const silent: Io = { out: () => undefined, err: () => undefined, stderrIsTty: false, stdoutIsTty: false };
const program = buildProgram(silent, () => undefined);

/** A small cluster: what the lab's baseline has, plus a name no shell should ever see. */
const WORLD: Record<string, Partial<Record<ListKind, string[]>>> = {
  payments: { services: ['payments-api'], pods: ['payments-api-687d8d6878-5kljh'], deployments: ['payments-api'], ingresses: ['payments-api'] },
  orders: { services: ['orders-api'], pods: ['orders-api-7485876d84-hfmcj'], deployments: ['orders-api'], httproutes: ['orders-route'] },
  default: { services: ['kubernetes'] },
};
function lister(opts: { down?: boolean; calls?: string[] } = {}): Lister {
  const fail = () => Promise.reject(new Error('connect ECONNREFUSED'));
  return {
    namespaces: () => (opts.calls?.push('namespaces'), opts.down ? fail() : Promise.resolve([...Object.keys(WORLD), 'Bad$(rm -rf ~)'])),
    names: (kind, ns) => (opts.calls?.push(`${kind}@${ns}`), opts.down ? fail() : Promise.resolve(WORLD[ns]?.[kind] ?? [])),
    contexts: () => ['lab', 'prod-eu', 'evil context;x'],
    defaultNamespace: () => Promise.resolve('default'),
  };
}

describe('complete()', () => {
  it.each([
    [[''], program.commands.map((c) => c.name()).sort(), 4],
    [['sweep', 'payments,o'], ['payments,orders'], 4],
    [['di'], ['diagnose'], 4],
    [['-'], ['--context', '--help', '--kubeconfig', '--namespace', '--version'], 4],
    [['diagnose', ''], ['default/', 'kubernetes', 'orders/', 'payments/'], 6],
    [['diagnose', 'pay'], ['payments/'], 6],
    [['diagnose', 'payments/'], ['payments/payments-api'], 4],
    [['diagnose', 'payments/payments-api', '--from', 'orders/'], ['orders/orders-api', 'orders/orders-api-7485876d84-hfmcj'], 4],
    [['diagnose', 'payments/payments-api', '--ingress', 'payments/'], ['payments/payments-api'], 4],
    [['diagnose', 'payments/payments-api', '--route', 'orders/'], ['orders/orders-route'], 4],
    [['diagnose', 'payments/payments-api', '-n', ''], ['default', 'orders', 'payments'], 4],
    [['diagnose', 'payments/payments-api', '--namespace=p'], ['--namespace=payments'], 4],
    [['diagnose', 'x', '-o', ''], ['json', 'markdown', 'table'], 4],
    [['diagnose', 'x', '--until', ''], ['healthy'], 4],
    [['diagnose', 'x', '--fr'], ['--from'], 4],
    [['diagnose', 'payments/payments-api', ''], [], 4], // one target only
    [['diagnose', 'x', '--save', ''], [], 0], // file names: the shell's
    [['analyze', ''], [], 0],
    [['policy', 'orders/orders-api', 'payments/p'], ['payments/payments-api', 'payments/payments-api-687d8d6878-5kljh'], 4],
    [['--context', ''], ['lab', 'prod-eu'], 4],
    [['-n', 'payments', 'diagnose', ''], ['default/', 'kubernetes', 'orders/', 'payments/'], 6],
    [['completion', ''], ['bash', 'fish', 'zsh'], 4],
  ])('%j -> %j (directive %i)', async (words, want, directive) => {
    const c = await complete(program, words, lister());
    expect(c.candidates).toEqual(want);
    expect(c.directive).toBe(directive);
  });

  it('a cluster that does not answer gives no candidates and no error', async () => {
    await expect(complete(program, ['diagnose', 'pay'], lister({ down: true }))).resolves.toEqual({ candidates: [], directive: 6 });
    await expect(complete(program, ['diagnose', 'x', '--from', 'orders/'], lister({ down: true }))).resolves.toEqual({ candidates: [], directive: 4 });
  });

  it('completing a subcommand or a flag asks the cluster nothing', async () => {
    const calls: string[] = [];
    await complete(program, ['di'], lister({ calls }));
    await complete(program, ['diagnose', 'x', '--fr'], lister({ calls }));
    await complete(program, ['diagnose', 'x', '-o', ''], lister({ calls }));
    expect(calls).toEqual([]);
  });

  it('a namespace typed with a shell metacharacter is not listed', async () => {
    const calls: string[] = [];
    expect((await complete(program, ['diagnose', 'a;b/'], lister({ calls }))).candidates).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('clusterFlags reads -n, --kubeconfig, --context in either spelling', () => {
    expect(clusterFlags(['-n', 'payments', '--kubeconfig=/k', '--context', 'lab', 'diagnose'])).toEqual({
      namespace: 'payments',
      kubeconfig: '/k',
      context: 'lab',
    });
  });

  it('__complete through main(): candidates then the directive, exit 0, silent without a cluster', async () => {
    let out = '';
    const io: Io = { ...silent, out: (t) => void (out += t + '\n') };
    expect(await main(['node', 'k8snet', '__complete', 'diagnose', 'x', '-o', 'j'], io)).toBe(0);
    expect(out).toBe('json\n:4\n');
    out = '';
    expect(await main(['node', 'k8snet', '__complete', '--kubeconfig', '/nonexistent/kubeconfig', 'diagnose', 'pay'], io)).toBe(0);
    expect(out).toBe(':6\n');
  });

  it('completion with an unknown shell is a usage error', async () => {
    let err = '';
    expect(await main(['node', 'k8snet', 'completion', 'tcsh'], { ...silent, err: (t) => void (err += t) })).toBe(2);
    expect(err).toContain('unknown shell "tcsh"');
  });
});

describe('the bash script, in real bash', () => {
  // A stand-in `k8snet` on PATH speaks the __complete protocol with canned answers and records the
  // words it was given, so the script itself is what is tested (the real CLI: test/e2e/plugin.mjs).
  const dir = mkdtempSync(join(tmpdir(), 'k8snet-compl-'));
  const fake = join(dir, 'k8snet');
  writeFileSync(
    fake,
    `#!/bin/sh
printf '%s\\n' "$@" > "${dir}/argv"
case "$*" in
  "__complete diagnose pay") printf 'payments/\\n:6\\n' ;;
  "__complete diagnose payments/") printf 'payments/payments-api\\npayments/payments-db\\n:4\\n' ;;
  "__complete diagnose x --save rep") printf ':0\\n' ;;
  "__complete diagnose x --output=j") printf -- '--output=json\\n:4\\n' ;;
  "__complete diagnose x -o ") printf 'json\\nmarkdown\\ntable\\n:4\\n' ;;
  *) printf ':4\\n' ;;
esac
`,
  );
  chmodSync(fake, 0o755);
  writeFileSync(join(dir, 'report-file.json'), '{}');
  const script = completionScript('bash');

  /** Completes the line `words` (the last word is the cursor's) and prints COMPREPLY and the compopt state. */
  function bashComplete(words: string[]): { reply: string[]; nospace: boolean; argv: string[] } {
    const setup = `cd ${JSON.stringify(dir)}; PATH=${JSON.stringify(dir)}:$PATH
${script}
compopt() { [[ $* == *nospace* ]] && echo NOSPACE > ${JSON.stringify(join(dir, 'compopt'))}; return 0; }
rm -f ${JSON.stringify(join(dir, 'compopt'))}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
COMP_LINE="${words.join(' ')}"; COMP_POINT=\${#COMP_LINE}
_k8snet_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', setup], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
    let argv: string[];
    try {
      argv = readFileSync(join(dir, 'argv'), 'utf8').split('\n').slice(0, -1);
    } catch {
      argv = [];
    }
    let nospace: boolean;
    try {
      nospace = readFileSync(join(dir, 'compopt'), 'utf8').includes('NOSPACE');
    } catch {
      nospace = false; // compopt was not called with nospace
    }
    return { reply: r.stdout.split('\n').filter(Boolean), nospace, argv };
  }

  it('registers itself for k8snet (complete -p)', () => {
    const r = spawnSync('bash', ['-c', `${script}\ncomplete -p k8snet`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('complete -F _k8snet_complete k8snet');
  });

  it('passes the words after the program and the current word to __complete', () => {
    const r = bashComplete(['k8snet', 'diagnose', 'pay']);
    expect(r.argv).toEqual(['__complete', 'diagnose', 'pay']);
    expect(r.reply).toEqual(['payments/']);
    expect(r.nospace).toBe(true); // "payments/" continues: no space after it
  });

  it('offers the candidates matching the current word, with a space after them', () => {
    const r = bashComplete(['k8snet', 'diagnose', 'payments/']);
    expect(r.reply).toEqual(['payments/payments-api', 'payments/payments-db']);
    expect(r.nospace).toBe(false);
  });

  it('directive 0 without candidates: file names', () => {
    const r = bashComplete(['k8snet', 'diagnose', 'x', '--save', 'rep']);
    expect(r.argv).toEqual(['__complete', 'diagnose', 'x', '--save', 'rep']);
    expect(r.reply).toEqual(['report-file.json']);
  });

  it('directive 4 without candidates: nothing, not file names', () => {
    expect(bashComplete(['k8snet', 'diagnose', 'payments/payments-api', '']).reply).toEqual([]);
  });

  it('glues --flag=value that bash split at "=" and replaces only the value', () => {
    const r = bashComplete(['k8snet', 'diagnose', 'x', '--output', '=', 'j']);
    expect(r.argv).toEqual(['__complete', 'diagnose', 'x', '--output=j']);
    expect(r.reply).toEqual(['json']);
  });

  it('a failing or silent k8snet leaves COMPREPLY empty and bash happy', () => {
    writeFileSync(join(dir, 'k8snet-broken'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(dir, 'k8snet-broken'), 0o755);
    const r = spawnSync(
      'bash',
      ['-c', `cd ${dir}; ${script}\nCOMP_WORDS=(./k8snet-broken diagnose pay); COMP_CWORD=2; _k8snet_complete; echo "rc=$? n=\${#COMPREPLY[@]}"`],
      { encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toBe('rc=0 n=0');
  });
});
