// `k8snet diagnose`: parse options, gather facts, analyse and render them (./render-facts.ts, loaded
// while the cluster answers), and map the diagnosis to an exit code. `analyze` is ./analyze.ts.

import { ClusterError, UserError } from '../errors.js';
import type { DiagnoseRequest, Facts } from '../model/facts.js';
import { unicodeFromEnv } from '../report/path-text.js';
import { parseDuration, parseFrom, parseOutput, parsePath, parsePortArg, parseProbeArg, parseRef, parseRouteRef, validateName } from './args.js';
import { makeSpinner, reportError, useColor, type Io } from './output.js';
import { EXIT } from './exit-codes.js';
import { runTrouble } from './run-trouble.js';
import { MAX_PROBE_TIMEOUT_SEC } from '../probes/validate-target.js';
import { checkSavePath, writeFactsFile } from './save-facts.js';

interface DiagnoseOptions {
  from?: string;
  container?: string;
  port?: string;
  path: string;
  largeResponsePath?: string;
  ingress?: string;
  route?: string;
  probeTimeout: string;
  probe?: string;
  timeout: string;
  ephemeral?: boolean;
  debugImage: string;
  verbose?: boolean;
  save?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  output?: string;
  color?: boolean;
  /** --watch [INTERVAL]: true (default interval) or the interval as typed. */
  watch?: boolean | string;
  /** --until healthy (implies --watch). */
  until?: string;
}

/** Default --watch interval. */
export const WATCH_DEFAULT = '5s';

/** --watch/--until, validated: the interval in ms and the stop condition; undefined when not watching. */
export function parseWatch(opts: Pick<DiagnoseOptions, 'watch' | 'until' | 'output'>): { intervalMs: number; until?: 'healthy' } | undefined {
  if (opts.until !== undefined && opts.until !== 'healthy') {
    throw new UserError({
      message: `--until: unknown condition "${opts.until}"`,
      why: 'the only condition is "healthy" (every layer passed)',
      next: 'write --until healthy',
    });
  }
  if (opts.watch === undefined && opts.until === undefined) return undefined;
  const interval = typeof opts.watch === 'string' ? opts.watch : WATCH_DEFAULT;
  const intervalMs = parseDuration(interval, '--watch');
  if (intervalMs < 1000) {
    throw new UserError({
      message: `--watch: ${interval} is too short`,
      why: 'each round reads the API server and execs probes; rounds under a second would load the cluster',
      next: 'use 1s or more, e.g. --watch 5s',
    });
  }
  if (opts.output === 'markdown' || opts.output === 'md') {
    throw new UserError({
      message: '--watch cannot write -o markdown',
      why: 'a watch prints changes as they happen; markdown is one report for a ticket',
      next: 'use -o table (default) or -o json (one JSON object per line)',
    });
  }
  return { intervalMs, ...(opts.until === 'healthy' ? { until: 'healthy' as const } : {}) };
}

export async function runDiagnose(targetText: string, opts: DiagnoseOptions, io: Io): Promise<number> {
  const startedAt = Date.now(); // --timeout counts from here: loading the client and credentials included
  // Validate everything the user typed before touching the cluster.
  const output = parseOutput(opts.output, io.stdoutIsTty);
  // one limit: the probe builders' (src/probes/validate-target.ts), so no probe is dropped later
  const probeTimeoutMs = parseDuration(opts.probeTimeout, '--probe-timeout', MAX_PROBE_TIMEOUT_SEC * 1000);
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  const watch = parseWatch(opts);
  const path = parsePath(opts.path);
  const largeResponsePath = opts.largeResponsePath !== undefined ? parsePath(opts.largeResponsePath, '--large-response-path') : undefined;
  const port = opts.port !== undefined ? parsePortArg(opts.port) : undefined;
  const probe = opts.probe !== undefined ? parseProbeArg(opts.probe) : undefined;
  if (opts.container !== undefined) validateName(opts.container, '-c/--container', 'container');
  if (opts.namespace !== undefined) parseRef(`${opts.namespace}/x`, 'default', '-n/--namespace', 'namespace');
  if (opts.ephemeral && !opts.from) {
    throw new UserError({ message: '--ephemeral needs --from', why: 'the debug container is added to the source pod', next: 'add --from NS/NAME' });
  }
  // syntax of names is checked now; bare names get the context's namespace once it is known
  parseRef(targetText, 'default', 'TARGET', 'Service');
  if (opts.from !== undefined) parseFrom(opts.from, 'default');
  if (opts.ingress !== undefined) parseRef(opts.ingress, 'default', '--ingress', 'Ingress');
  if (opts.route !== undefined) parseRouteRef(opts.route, 'default');
  if (opts.save) checkSavePath(opts.save); // creates nothing: a failed run leaves no file

  // loaded side by side (the reads of one module's files overlap the compiling of another's), the
  // cluster client too, which loadKubeConfig imports itself
  const [{ loadKubeConfig }, { Api }, { gatherFacts }] = await Promise.all([
    import('../cluster/kubeconfig.js'),
    import('../cluster/api.js'),
    import('../gather/index.js'),
    import('../cluster/client-node.js'),
  ]);
  const loaded = await loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context, namespace: opts.namespace });
  const target = parseRef(targetText, loaded.namespace, 'TARGET', 'Service');
  const request: DiagnoseRequest = {
    target,
    from: opts.from !== undefined ? parseFrom(opts.from, loaded.namespace) : undefined,
    container: opts.container,
    port,
    path,
    ...(largeResponsePath !== undefined ? { largeResponsePath } : {}),
    ingress: opts.ingress !== undefined ? parseRef(opts.ingress, target.namespace, '--ingress', 'Ingress') : undefined,
    route: opts.route !== undefined ? parseRouteRef(opts.route, target.namespace) : undefined,
    probeTimeoutMs,
    ...(probe ? { probe } : {}),
    ephemeral: !!opts.ephemeral,
    debugImage: opts.ephemeral ? opts.debugImage : undefined,
  };

  // one round: its own API client and deadline (--timeout bounds each round of a watch)
  let firstRound = true;
  // the analysis code, loaded while the first round's requests are in flight
  let analysis: Promise<typeof import('./render-facts.js')> | undefined;
  const gatherRound = async (): Promise<Facts> => {
    // the first round's deadline counts from the start of the run; a watch's later rounds from their own start
    const api = new Api(loaded.kc, (firstRound ? startedAt : Date.now()) + timeoutMs);
    firstRound = false;
    const spinner = await makeSpinner(io, output === 'table');
    let facts: Facts;
    try {
      spinner.text(`Connecting to ${loaded.context.server}`);
      // The reachability check runs beside the gather instead of before it (one round trip less);
      // when it fails, its error is the one reported.
      const reachable = checkReachable(api, loaded.context.server ?? '?', loaded.context.user);
      // the analysis code is compiled once the first reads are in (then the run waits on the source
      // pod's exec; compiled at the start it held up the reads' answers by 30-50 ms on the lab), and
      // run once on the facts read so far while the probes run (warmUp: V8 compiles the functions it
      // calls during that wait, not after the probes' answers); stopped once the real facts are in
      let done = false;
      const loadAnalysis = () => {
        if (analysis) return;
        analysis = import('./render-facts.js');
        analysis.catch(() => undefined); // a run that fails while gathering never awaits it
      };
      const warmUp = (preview: () => Promise<Facts | undefined>) => {
        loadAnalysis();
        if (watch) return;
        analysis!.then((m) => (done ? undefined : m.warmUp(preview, output, opts, io, () => done))).catch(() => undefined);
      };
      const gathered = gatherFacts({ api, context: loaded.context, request, onStep: (t) => spinner.text(t), onReadsDone: loadAnalysis, onProbing: warmUp });
      gathered.then(
        () => (done = true),
        () => (done = true),
      );
      await reachable;
      facts = await gathered;
    } finally {
      spinner.stop();
      api.close();
    }
    if (facts.service.state === 'forbidden' || facts.service.state === 'unreachable' || facts.service.state === 'timeout') {
      throw new ClusterError({
        kind: facts.service.state === 'forbidden' ? 'forbidden' : facts.service.state,
        message: `could not read Service ${target.namespace}/${target.name}, so nothing can be checked`,
        why: facts.service.message,
        next:
          facts.service.state === 'forbidden'
            ? 'ask for read access (`k8snet rbac` prints the role k8snet needs)'
            : 'check that the API server is reachable and healthy, or raise --timeout',
      });
    }
    if (opts.save) writeFactsFile(opts.save, facts);
    return facts;
  };
  if (watch) {
    const { runWatch, processWatchDeps } = await import('./watch.js');
    return runWatch(
      processWatchDeps(gatherRound),
      {
        ...watch,
        output: output === 'json' ? 'json' : 'table',
        color: useColor(opts.color, io),
        verbose: !!opts.verbose,
        unicode: unicodeFromEnv(process.env),
      },
      io,
    );
  }
  const facts = await gatherRound();
  const code = (await (analysis ?? import('./render-facts.js'))).renderFacts(facts, output, opts, io);
  // inconclusive because the API server or a kubelet stopped answering: said as an error on stderr too
  const trouble = code === EXIT.cluster ? runTrouble(facts, opts.timeout) : undefined;
  if (trouble) reportError(new ClusterError({ kind: 'timeout', ...trouble }), io, false);
  return code;
}

/** Fail fast, with a clear error, when the API server is unreachable or rejects the credentials. */
export async function checkReachable(api: import('../cluster/api.js').Api, server: string, user?: string): Promise<void> {
  try {
    await api.getJson('/version', { timeoutMs: Math.min(5000, api.remaining()) });
  } catch (e) {
    const ce = e as ClusterError;
    if (ce.kind === 'unauthorized') {
      throw new ClusterError({
        kind: 'unauthorized',
        message: `the API server at ${server} rejected the credentials of user "${user ?? '?'}"`,
        why: ce.why,
        next: 'your token or certificate has expired or is wrong: log in again or fix the kubeconfig user',
        cause: e,
      });
    }
    if (ce.kind === 'forbidden') return; // /version is usually public; a 403 here is not fatal
    throw e;
  }
}
