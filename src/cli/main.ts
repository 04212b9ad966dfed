// Command-line wiring: commander commands, options, exit codes. Logic lives elsewhere.

import { Command, CommanderError, Option } from 'commander';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { endQuietlyWhenStdoutCloses, processIo, reportError, type Io } from './output.js';
import type * as DiagnoseModule from './diagnose.js';
import type * as AnalyzeModule from './analyze.js';
import type * as PolicyModule from './policy.js';
import { runRbac } from './rbac.js';
import { normalizeArgv } from './argv.js';
import type * as SweepModule from './sweep.js';

import { EXIT } from './exit-codes.js';
export { EXIT }; // the exit codes live in ./exit-codes.ts

// Command modules load when their command runs, so `--version`, `--help` and `rbac` never load the
// analysis, and `analyze` never loads the policy engine (start-up: docs/benchmarks.md).
const runDiagnose = async (...a: Parameters<typeof DiagnoseModule.runDiagnose>) => (await import('./diagnose.js')).runDiagnose(...a);
const runAnalyze = async (...a: Parameters<typeof AnalyzeModule.runAnalyze>) => (await import('./analyze.js')).runAnalyze(...a);
const runPolicy = async (...a: Parameters<typeof PolicyModule.runPolicy>) => (await import('./policy.js')).runPolicy(...a);
const runSweep = async (...a: Parameters<typeof SweepModule.runSweep>) => (await import('./sweep.js')).runSweep(...a);
// The option objects commander hands each action (shaped by the options the command declares).
type DiagnoseOpts = Parameters<typeof DiagnoseModule.runDiagnose>[1];
type AnalyzeOpts = Parameters<typeof AnalyzeModule.runAnalyze>[1];
type PolicyOpts = Parameters<typeof PolicyModule.runPolicy>[2];
type SweepOpts = Parameters<typeof SweepModule.runSweep>[1];
type RbacOpts = Parameters<typeof runRbac>[0];

const DIAGNOSE_EXAMPLES = `
Examples:
  # the runbook step: why can't orders reach payments?
  k8snet diagnose payments/payments-api --from orders/orders-api

  # one port, an HTTP path, JSON for automation
  k8snet diagnose payments/payments-api --from orders/orders-api --port http --path /health -o json

  # source picked by label selector, a specific container, a markdown report for the ticket
  k8snet diagnose payments/payments-api --from 'orders/app=orders-api' -c toolbox -o markdown

  # the source has no shell (distroless): let k8snet add an ephemeral debug container
  k8snet diagnose payments/payments-api --from orders/orders-api --ephemeral --debug-image busybox:1.36

  # tell me when the fix lands: re-run every 5s, print what changed, exit 0 once healthy
  k8snet diagnose payments/payments-api --from orders/orders-api --watch 5s --until healthy

  # keep the evidence, re-run the analysis later without the cluster
  k8snet diagnose payments/payments-api --from orders/orders-api --save incident-4711.json
  k8snet analyze incident-4711.json

Exit codes: 0 every layer passed, 1 a fault was diagnosed, 2 usage error,
            3 the cluster could not be checked (unreachable, forbidden, timed out),
            4 k8snet failed unexpectedly (a bug).`;

const POLICY_EXAMPLES = `
Examples:
  # may orders-api talk to payments-api (the Service: its pods, on its targetPort)?
  k8snet policy orders/orders-api payments/payments-api

  # a pod to a pod on a named port, UDP
  k8snet policy orders/orders-api-7d9f payments/payments-api-5c4b --port 53 --protocol UDP

  # review manifests in CI, no cluster needed
  k8snet policy orders/orders-api payments/payments-api --manifests k8s/ --port 8080

  # external addresses: a client range, a card processor
  k8snet policy 203.0.113.7 payments/payments-api --port 8080
  k8snet policy orders/orders-api 198.51.100.20 --port 443

  # the reachability matrix of two namespaces on a port
  k8snet policy --matrix payments,orders --port 8080

Exit codes: 0 allowed, 1 denied, 2 usage error, 3 the cluster could not be read,
            4 k8snet failed unexpectedly (a bug).`;

const SWEEP_EXAMPLES = `
Examples:
  # the ticket says "payments is down": what is broken around there?
  k8snet sweep payments

  # two namespaces, and who each Service lets in
  k8snet sweep payments,orders --callers

  # every Service probed live from one pod (a handful of execs at a time)
  k8snet sweep payments --from orders/orders-api --probe-timeout 2s

  # the whole cluster, as Markdown for the incident ticket
  k8snet sweep -A -o markdown

Exit codes: 0 every Service healthy, 1 a Service (or cluster DNS) has a fault, 2 usage error,
            3 a namespace or Service could not be checked (forbidden, unreachable, timed out).
Run \`k8snet diagnose NS/SERVICE\` on any row for the full evidence.`;

function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
    .option('-n, --namespace <ns>', "namespace for names given without one (default: the context's namespace)")
    .option('--timeout <duration>', 'limit for the whole run', '30s');
}

function outputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'markdown']))
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--debug', 'print stack traces of unexpected errors');
}

export function buildProgram(io: Io, setExit: (code: number) => void, name = 'k8snet'): Command {
  // examples name the command as the user started it (`kubectl k8snet` through the plugin)
  const ex = (text: string) => text.replace(/^( {2})k8snet /gm, `$1${name} `);
  const program = new Command(name)
    .description('Connectivity debugger for live Kubernetes clusters: names the failing layer with evidence and next commands.')
    .version(VERSION, '--version', 'print the k8snet version')
    .showHelpAfterError('(run with --help for usage and examples)')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();

  outputOptions(
    clusterOptions(
      program
        .command('diagnose')
        .description('Walk the five debug steps from a source pod to a Service and name the failing layer.')
        .argument('<target>', 'the Service: NAMESPACE/NAME or NAME')
        .option('--from <source>', 'source: NS/POD, NS/WORKLOAD (Deployment, StatefulSet, DaemonSet, ReplicaSet), NS/APP-LABEL or NS/label-selector')
        .option('-c, --container <name>', 'container of the source pod to exec into')
        .option('--port <port>', 'Service port name or number (default: every port)')
        .option('--path <path>', 'HTTP path for probes', '/')
        .option(
          '--large-response-path <path>',
          'MTU towards the source: a path on the target that answers with more than 1,500 bytes (e.g. /metrics), fetched from one endpoint per node next to the small request',
        )
        .option('--ingress <ns/name>', 'check this Ingress (default: every Ingress that routes to the Service)')
        .option(
          '--route <[kind/]ns/name>',
          'check this Gateway API route: NS/NAME is an HTTPRoute, grpcroute/NS/NAME (tlsroute, tcproute, udproute) another kind (default: every route whose backendRefs name the Service)',
        )
        .option('--probe-timeout <duration>', 'timeout of each probe', '3s')
        .option(
          '--probe <protocol>',
          'what to speak after connecting: tcp (connect only), http, https, dns (default: decided per port from appProtocol, port name, number)',
        )
        .option('--ephemeral', 'allow adding an ephemeral debug container when the source has no shell (the one write k8snet may make)')
        .option('--debug-image <image>', 'image for --ephemeral', 'busybox:1.36')
        .option('-v, --verbose', 'show the raw evidence: every command run, its exit code and output, per-step timings')
        .option('--save <file>', 'write the gathered facts as JSON (replay with `k8snet analyze FILE`)')
        .option('--watch [interval]', "re-run every INTERVAL (default 5s) and print only what changed; Ctrl-C stops with the last verdict's exit code")
        .option('--until <condition>', 'with --watch (implied): stop with exit 0 as soon as the path is "healthy"'),
    ),
  )
    .addHelpText('after', ex(DIAGNOSE_EXAMPLES))
    .action(async (target: string, opts: DiagnoseOpts) => setExit(await runDiagnose(target, opts, io)));

  outputOptions(
    program
      .command('analyze')
      .description('Re-run the analysis offline on a facts file written by `diagnose --save`.')
      .argument('<file>', 'facts JSON file')
      .option('-v, --verbose', 'show the raw evidence'),
  )
    .addHelpText('after', ex('\nExamples:\n  k8snet analyze incident-4711.json\n  k8snet analyze incident-4711.json -o markdown > ticket.md\n'))
    .action(async (file: string, opts: AnalyzeOpts) => setExit(await runAnalyze(file, opts, io)));

  outputOptions(
    clusterOptions(
      program
        .command('policy')
        .description('NetworkPolicy verdict for a flow (pods, workloads, Services or IP addresses), live or from manifests.')
        .argument('[src]', 'source: NS/POD, NS/WORKLOAD, NS/SERVICE or an IP address')
        .argument('[dst]', 'destination: NS/POD, NS/WORKLOAD, NS/SERVICE or an IP address')
        .option('--port <port>', 'destination port (number or name); for a Service, its port, checked on the targetPort')
        .option('--protocol <protocol>', 'TCP, UDP or SCTP', 'TCP')
        .option('--manifests <paths...>', 'YAML/JSON files or folders to evaluate instead of the live cluster')
        .option('--matrix <namespaces>', 'print the reachability matrix of the pods in these namespaces (comma separated)'),
    ),
  )
    .addHelpText('after', ex(POLICY_EXAMPLES))
    .action(async (src: string | undefined, dst: string | undefined, opts: PolicyOpts) => setExit(await runPolicy(src, dst, opts, io)));

  outputOptions(
    clusterOptions(
      program
        .command('sweep')
        .description(
          "Every Service of the namespaces in one table, broken first: diagnose's checks and diagnosis per Service, policy hygiene, optional live probes.",
        )
        .argument('[namespaces]', 'namespaces to sweep, comma separated (or -A)')
        .option('-A, --all-namespaces', 'sweep every namespace')
        .option('--from <source>', 'also probe every Service live from this pod (NS/POD, NS/WORKLOAD, NS/APP-LABEL or NS/label-selector)')
        .option('-c, --container <name>', 'container of the source pod to exec into')
        .option('--path <path>', 'HTTP path for probes', '/')
        .option('--probe-timeout <duration>', 'timeout of each probe', '3s')
        .option('--concurrency <n>', 'execs in flight at once in the source pod (1-16)', '4')
        .option('--callers', 'per Service, the namespaces and workloads policy lets in')
        .option('-v, --verbose', 'list every finding of the rows that are not healthy'),
    ),
  )
    .addHelpText('after', ex(SWEEP_EXAMPLES))
    .action(async (namespaces: string | undefined, opts: SweepOpts, cmd: Command) =>
      // a sweep makes more requests than one diagnosis: its default run limit is 60s
      setExit(await runSweep(namespaces, { ...opts, timeout: cmd.getOptionValueSource('timeout') === 'default' ? '60s' : opts.timeout }, io)),
    );

  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish); names of namespaces, Services, pods and routes are completed from the cluster.')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      ex(
        '\nExamples:\n  source <(k8snet completion bash)\n  k8snet completion zsh > "${fpath[1]}/_k8snet"\n  k8snet completion fish > ~/.config/fish/completions/k8snet.fish\n',
      ),
    )
    .action(async (shell: string) => {
      const { SHELLS, completionScript } = await import('./completion-scripts.js');
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UserError({ message: `completion: unknown shell "${shell}"`, next: 'use bash, zsh or fish' });
      }
      io.out(completionScript(shell as 'bash' | 'zsh' | 'fish').trimEnd());
      setExit(0);
    });

  program
    .command('rbac')
    .description('Print the least-privilege RBAC manifest k8snet needs (ClusterRoles and bindings to adapt).')
    .option('--subject <kind:name>', 'bind to this subject, e.g. User:oncall@example.com or Group:sre', 'Group:k8snet-users')
    .option('--no-exec', 'leave out the pods/exec role (API-only checks)')
    .option('--ephemeral', 'include the pods/ephemeralcontainers role used by --ephemeral')
    .option('--tls-secrets', 'include get on secrets so the Ingress step can confirm TLS secrets exist (opt-in: RBAC cannot limit it to metadata)')
    .option(
      '--namespaces <list>',
      'grant exec (and --ephemeral, --tls-secrets) only in these namespaces, as Roles and RoleBindings (comma separated); reads stay cluster-wide',
    )
    .addHelpText(
      'after',
      ex('\nExamples:\n  k8snet rbac > k8snet-rbac.yaml\n  k8snet rbac --subject User:oncall@example.com --ephemeral | kubectl apply -f -\n'),
    )
    .action((opts: RbacOpts) => setExit(runRbac(opts, io)));

  return program;
}

/** How the CLI was started: `k8snet`, or `kubectl k8snet` through the kubectl-k8snet plugin executable. */
export interface MainOptions {
  /** Program name shown in help and usage errors. */
  name?: string;
}

/** Run the CLI; resolves to the exit code. */
export async function main(rawArgv: string[], io: Io = processIo, mainOpts: MainOptions = {}): Promise<number> {
  let code = 0;
  if (io === processIo) endQuietlyWhenStdoutCloses();
  if (rawArgv[2] === '__complete') {
    // the shell scripts' callback (hidden, like cobra's): candidates, then ":DIRECTIVE"
    const { runComplete } = await import('./completion.js');
    return runComplete(
      buildProgram(io, () => undefined, mainOpts.name),
      rawArgv.slice(3),
      io.out,
    );
  }
  const argv = normalizeArgv(rawArgv);
  const program = buildProgram(io, (c) => (code = c), mainOpts.name);
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT.usage;
    }
    return reportError(e, io, argv.includes('--debug'));
  }
}
