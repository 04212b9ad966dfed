// The one impure pass of diagnose: reads objects, resolves the source, runs probes, reads logs,
// and returns Facts. Independent reads run concurrently; every read is a Read, never an exception.

import type { Api } from '../cluster/api.js';
import { qs } from '../cluster/api.js';
import { reviewAccess, isDenied } from '../cluster/access.js';
import { runExec, type ExecSocketFactory } from '../cluster/exec.js';
import type { ExecResult } from '../model/probe.js';
import type { EndpointSlice, Endpoints, Namespace, NetworkPolicy, Node, Pod, Service, Workload } from '../model/k8s.js';
import { FACTS_SCHEMA_VERSION, type DiagnoseRequest, type Facts, type Read, type SourceFacts } from '../model/facts.js';
import { parseResolvConf } from '../probes/index.js';
import { inspectContainerArgv, parseContainerInspection } from '../probes/inspect-container.js';
import { VERSION } from '../version.js';
import { redactFacts } from '../model/redact-facts.js';
import { ensureEphemeral, DEFAULT_DEBUG_IMAGE } from './ephemeral.js';
import { gatherIngress } from './ingress.js';
import { gatherGateway } from './gateway.js';
import { gatewayProbeTargets } from '../gateway/probe-plan.js';
import { planTargetProbes, probeSite, runProbes } from './probes.js';
import { inspectHeld, type HeldSession } from './probe-batch.js';
import { containerOrder, resolveSourcePod } from './source.js';
import { gatherNodeAgents } from './node-agents.js';
import { isPodReady } from '../util/pod.js';
import { allNamed, stepTimer } from './steps.js';
import { addressesToLookUp, lookUpEndpointPods } from './endpoint-pods.js';

export interface GatherContext {
  api: Api;
  context: Facts['context'];
  request: DiagnoseRequest;
  /** Called when a step starts (the CLI's spinner). */
  onStep?: (title: string) => void;
  /**
   * Called once, when the first reads are in and the source is being inspected: the process then
   * mostly waits on the pod's exec, a slot for CPU work that is not gathering (the CLI compiles its
   * analysis code there instead of between the reads' answers).
   */
  onReadsDone?: () => void;
  /**
   * Called once, when the probes have been sent to the source pod (or when there are none to send),
   * another wait on the pod (the CLI runs its analysis once on a preview there, see warmUp).
   * `preview` resolves, once the preflight, Ingress and Gateway API steps are in, to the facts read
   * so far: no probe results, no node agents, redacted like the real ones, a copy. It never rejects
   * (undefined when it cannot be built).
   */
  onProbing?: (preview: () => Promise<Facts | undefined>) => void;
}

const enc = encodeURIComponent;

export async function gatherFacts(ctx: GatherContext): Promise<Facts> {
  const { api, request } = ctx;
  const notes: string[] = [];
  // Steps overlap: each counts the requests made inside it, and records when it started.
  const { timings, step } = stepTimer();
  const tns = request.target.namespace;
  const sns = request.from?.namespace ?? tns;

  // Every read starts as soon as its inputs exist. The preflight gates only the reads it may skip;
  // the source pod (then its inspection) and the Ingress step start at once and run beside the reads.
  ctx.onStep?.('Reading the Service, pods, endpoints and policies');
  const accessPromise = step('preflight', () => reviewAccess(api, [tns, sns]));
  const denied = async (verb: string, group: string, resource: string, ns: string, sub?: string) =>
    isDenied(await accessPromise, verb, group, resource, ns, sub);
  const skip = (what: string): Read<never> => ({ state: 'forbidden', message: `${what}: forbidden (preflight)` });
  const policyNamespaces = [...new Set([tns, sns])];

  // the chosen source container's inspection exec, held open for the probes (released after them)
  const held: HeldHolder = {};

  // the source pod's node, as soon as the pod is resolved (the node agents step needs it)
  let setSourceNode: (node: string) => void = () => undefined;
  const sourceNode = new Promise<string>((resolve) => (setSourceNode = resolve));
  const sourcePromise: Promise<Read<SourceFacts>> = request.from
    ? step('source', async () => {
        const source = await resolveSourcePod(api, { namespace: sns, name: request.from!.name, selector: request.from!.selector }).then(
          (r) => (setSourceNode(r.state === 'ok' ? (r.value.pod.spec.nodeName ?? '') : ''), r),
          (e: unknown) => {
            setSourceNode('');
            throw e;
          },
        );
        if (source.state !== 'ok') return source;
        // Source container: find one with a shell, or add an ephemeral debug container.
        ctx.onStep?.('Inspecting the source container');
        const execDenied = (await denied('create', '', 'pods', sns, 'exec')) || (await denied('get', '', 'pods', sns, 'exec'));
        return inspectSource(api, { state: 'ok', value: { ...source.value, container: '', tools: null, hasShell: null } }, request, execDenied, notes, held);
      })
    : Promise.resolve({ state: 'skipped', message: 'no --from given: live probes need a source pod' });
  if (!request.from) setSourceNode('');

  // Ingress and Gateway API (need nothing from the reads or probes), then the policies of the
  // controller namespaces (Ingress -> backend traffic crosses them) as soon as they are named,
  const ingressPromise = step('ingress', () => gatherIngress(api, request.target, request.ingress));
  const gatewayPromise = step('gateway', () => gatherGateway(api, request.target, request.route));
  // and of the Gateway data planes' namespaces (gateway pods -> backend)
  const controllerPoliciesPromise = Promise.all([ingressPromise, gatewayPromise]).then(([ing, gw]) =>
    Promise.all(
      [...new Set([...ing.controllerNamespaces, ...gw.dataPlaneNamespaces])]
        .filter((ns) => !policyNamespaces.includes(ns))
        .map(async (ns) => [ns, await api.list<NetworkPolicy>(`/apis/networking.k8s.io/v1/namespaces/${enc(ns)}/networkpolicies`)] as const),
    ),
  );

  // awaited below; a failure must surface there, not as an unhandled rejection meanwhile
  for (const p of [accessPromise, sourcePromise, ingressPromise, gatewayPromise, controllerPoliciesPromise]) p.catch(() => undefined);

  const { service, namespacePods, endpointSlices, namespaces, policiesList, nodes, daemonSets, dnsService, dnsSlices, dnsPods } = await step('read', () =>
    allNamed({
      service: api.read<Service>(`/api/v1/namespaces/${enc(tns)}/services/${enc(request.target.name)}`),
      namespacePods: denied('list', '', 'pods', tns).then((d) => (d ? skip(`list pods in ${tns}`) : api.list<Pod>(`/api/v1/namespaces/${enc(tns)}/pods`))),
      endpointSlices: denied('list', 'discovery.k8s.io', 'endpointslices', tns).then((d) =>
        d
          ? skip(`list endpointslices in ${tns}`)
          : api.list<EndpointSlice>(
              `/apis/discovery.k8s.io/v1/namespaces/${enc(tns)}/endpointslices${qs({ labelSelector: `kubernetes.io/service-name=${request.target.name}` })}`,
            ),
      ),
      namespaces: api.list<Namespace>('/api/v1/namespaces'),
      policiesList: Promise.all(
        policyNamespaces.map(
          async (ns) =>
            [
              ns,
              (await denied('list', 'networking.k8s.io', 'networkpolicies', ns))
                ? skip(`list networkpolicies in ${ns}`)
                : await api.list<NetworkPolicy>(`/apis/networking.k8s.io/v1/namespaces/${enc(ns)}/networkpolicies`),
            ] as const,
        ),
      ),
      nodes: api.list<Node>('/api/v1/nodes'),
      daemonSets: api.list<Workload>('/apis/apps/v1/daemonsets'),
      dnsService: api.read<Service>('/api/v1/namespaces/kube-system/services/kube-dns'),
      dnsSlices: api.list<EndpointSlice>(
        `/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices${qs({ labelSelector: 'kubernetes.io/service-name=kube-dns' })}`,
      ),
      dnsPods: api.list<Pod>(`/api/v1/namespaces/kube-system/pods${qs({ labelSelector: 'k8s-app=kube-dns' })}`),
    }),
  );
  const policies: Facts['policies'] = Object.fromEntries(policiesList);

  // Node agents (CNI, policy enforcer, kube-proxy) on every node involved, as soon as the reads and
  // the source pod name them, beside the source inspection and the probes.
  const agentsPromise = sourceNode.then((srcNode) => {
    const involvedNodes = [
      srcNode,
      ...(endpointSlices.state === 'ok' ? endpointSlices.value.flatMap((s) => (s.endpoints ?? []).map((e) => e.nodeName ?? '')) : []),
      ...(dnsPods.state === 'ok' ? dnsPods.value.map((p) => p.spec.nodeName ?? '') : []),
    ];
    return step('node-agents', () => gatherNodeAgents(api, daemonSets, involvedNodes));
  });
  agentsPromise.catch(() => undefined);

  // Fallbacks and suggestions that depend on the first reads.
  let endpoints: Read<Endpoints> | undefined;
  let serviceSuggestions: Facts['serviceSuggestions'];
  let endpointPods: Facts['endpointPods'];
  await step('read-more', async () => {
    const jobs: Promise<void>[] = [];
    if (endpointSlices.state === 'forbidden' || endpointSlices.state === 'error') {
      jobs.push(api.read<Endpoints>(`/api/v1/namespaces/${enc(tns)}/endpoints/${enc(request.target.name)}`).then((r) => void (endpoints = r)));
    }
    if (service.state === 'not-found') {
      jobs.push(
        Promise.all([
          api.list<Service>(`/api/v1/namespaces/${enc(tns)}/services`),
          api.list<Service>(`/api/v1/services${qs({ fieldSelector: `metadata.name=${request.target.name}` })}`),
        ]).then(([same, other]) => {
          serviceSuggestions = {
            sameNamespace: same.state === 'ok' ? same.value.map((s) => s.metadata.name) : [],
            otherNamespaces: other.state === 'ok' ? other.value.map((s) => ({ namespace: s.metadata.namespace!, name: s.metadata.name })) : [],
          };
        }),
      );
    }
    // EndpointSlice addresses that are no pod of the target namespace: find their pods cluster-wide,
    // and read the policies of those pods' namespaces (NetworkPolicy judges the endpoint as its pod)
    const lookUp = endpointSlices.state === 'ok' ? addressesToLookUp(endpointSlices.value, namespacePods.state === 'ok' ? namespacePods.value : []) : [];
    if (lookUp.length > 0) {
      jobs.push(
        (async () => {
          endpointPods = (await denied('list', '', 'pods', '')) ? skip('list pods in all namespaces') : await lookUpEndpointPods(api, lookUp);
          if (endpointPods.state !== 'ok') return;
          const more = [...new Set(endpointPods.value.map((p) => p.metadata.namespace ?? 'default'))].filter((ns) => !(ns in policies));
          await Promise.all(
            more.map(async (ns) => {
              policies[ns] = (await denied('list', 'networking.k8s.io', 'networkpolicies', ns))
                ? skip(`list networkpolicies in ${ns}`)
                : await api.list<NetworkPolicy>(`/apis/networking.k8s.io/v1/namespaces/${enc(ns)}/networkpolicies`);
            }),
          );
        })(),
      );
    }
    await Promise.all(jobs);
  });

  ctx.onReadsDone?.();
  const sourceFacts = await sourcePromise.catch((e: unknown) => {
    held.session?.exec.release();
    throw e;
  });
  // The facts as one object: the result below, and the preview handed to onProbing while the
  // probes run (never shown to the user).
  type Late = Pick<Facts, 'source' | 'probes' | 'nodeAgents' | 'access' | 'policies' | 'ingress' | 'gateway' | 'notes'>;
  const assemble = (late: Late): Facts =>
    // redacted here, so a live run and `analyze` of its saved file judge the same facts
    redactFacts({
      schemaVersion: FACTS_SCHEMA_VERSION,
      k8snetVersion: VERSION,
      gatheredAt: new Date().toISOString(),
      context: ctx.context,
      request,
      access: late.access,
      service,
      serviceSuggestions,
      namespacePods,
      endpointSlices,
      endpoints,
      ...(endpointPods ? { endpointPods } : {}),
      source: late.source,
      nodes,
      probes: late.probes,
      dns: { service: dnsService, endpointSlices: dnsSlices, pods: dnsPods },
      namespaces,
      policies: late.policies,
      daemonSets,
      ingress: late.ingress,
      gateway: late.gateway,
      timings,
      requests: api.stats.requests,
      notes: late.notes,
      nodeAgents: late.nodeAgents,
    });
  const preview = async (): Promise<Facts | undefined> => {
    try {
      const [access, ingress, gateway] = await Promise.all([accessPromise, ingressPromise, gatewayPromise]);
      return assemble({
        source: sourceFacts,
        probes: [],
        access,
        policies: { ...policies },
        ingress: ingress.facts,
        gateway: gateway.facts,
        notes: [...notes],
      });
    } catch {
      return undefined;
    }
  };
  let probingCalled = false;
  const probing = () => {
    if (!probingCalled) ctx.onProbing?.(preview);
    probingCalled = true;
  };
  ctx.onStep?.('Probing from the source pod and reading the Ingress controller');
  const probes = await step('probes', async () => {
    if (sourceFacts.state !== 'ok' || !sourceFacts.value.tools || service.state !== 'ok') {
      probing();
      return [];
    }
    const src = sourceFacts.value;
    const ingress = await ingressPromise;
    const gateway = await gatewayPromise;
    const resolv = src.resolvConf ? parseResolvConf(src.resolvConf) : undefined;
    const gwProbes = gatewayProbeTargets(
      gateway.facts,
      namespaces.state === 'ok' ? namespaces.value : undefined,
      request.target,
      request.path,
      resolv?.clusterDomain ?? 'cluster.local',
    );
    notes.push(...gwProbes.skipped.map((s) => `${s.route}: not probed through the gateway: ${s.why}`));
    const plans = planTargetProbes({
      service: service.value,
      request,
      slices: endpointSlices.state === 'ok' ? endpointSlices.value : [],
      source: src,
      kubeDnsIP: dnsService.state === 'ok' ? dnsService.value.spec.clusterIP : undefined,
      ingress: ingress.facts,
      extraEntryProbes: gwProbes.probes,
      dnsReplicas:
        dnsPods.state === 'ok'
          ? dnsPods.value
              .filter((p) => p.status?.podIP && isPodReady(p) && !p.metadata.deletionTimestamp)
              .map((p) => ({ ip: p.status!.podIP!, pod: p.metadata.name, node: p.spec.nodeName }))
          : [],
    });
    const run = runProbes(api, probeSite(src), plans, request.probeTimeoutMs, undefined, notes, held.session);
    probing();
    return run;
  }).finally(() => {
    // unused (no probes, no Service, no tools) or already ended: the shell is told to exit
    if (held.session?.exec.endReason) notes.push(`source exec: ${held.session.exec.endReason}`);
    if (held.session?.ranProbes && sourceFacts.state === 'ok') sourceFacts.value.probesInInspectionExec = true;
    held.session?.exec.release();
  });
  const ingress = await ingressPromise;
  const gateway = await gatewayPromise;
  // the controllers' log tails, read while the probes ran
  await step('controller-logs', () => Promise.all([ingress.logs, gateway.logs]));
  const nodeAgents = await agentsPromise;
  for (const [ns, read] of await controllerPoliciesPromise) policies[ns] = read;
  const access = await accessPromise;
  timings.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));

  return assemble({ source: sourceFacts, probes, nodeAgents, access, policies, ingress: ingress.facts, gateway: gateway.facts, notes });
}

/** Where inspectSource leaves the held exec of the container the probes will run in. */
export interface HeldHolder {
  session?: HeldSession;
  /** How the exec's socket is made (unit tests); default: a WebSocket to the API server. */
  socket?: ExecSocketFactory;
}

/**
 * Detect tools container by container; with --ephemeral add a debug container when none has a shell.
 * With `held`, each inspection exec is held open (stdin): the chosen container's is left in `held`
 * for the probes, every other one gets `exit 0` as soon as it is known unused.
 */
export async function inspectSource(
  api: Api,
  src: { state: 'ok'; value: SourceFacts },
  request: DiagnoseRequest,
  execDenied: boolean,
  notes: string[],
  held?: HeldHolder,
): Promise<Read<SourceFacts>> {
  const hold = held ? { sessions: [] as HeldSession[], done: false, kept: undefined as HeldSession | undefined, socket: held.socket } : undefined;
  const releaseUnused = () => hold?.sessions.filter((x) => x !== hold.kept).forEach((x) => x.exec.release());
  try {
    const r = await inspectSourceIn(api, src, request, execDenied, notes, hold);
    if (held) held.session = hold!.kept;
    return r;
  } finally {
    if (hold) hold.done = true;
    releaseUnused();
  }
}

/** The inspection exec's failure, when it did not complete and so told nothing about the container. */
function inspectionFailure(d: { exec: ExecResult; tools: SourceFacts['tools']; hasShell: boolean | null }): Pick<SourceFacts, 'inspection'> {
  if (d.tools || d.hasShell === false || d.exec.state === 'completed') return {};
  const { state, errorKind, error, elapsedMs } = d.exec;
  return { inspection: { state, ...(errorKind ? { errorKind } : {}), ...(error !== undefined ? { error } : {}), elapsedMs } };
}

async function inspectSourceIn(
  api: Api,
  src: { state: 'ok'; value: SourceFacts },
  request: DiagnoseRequest,
  execDenied: boolean,
  notes: string[],
  hold?: { sessions: HeldSession[]; done: boolean; kept?: HeldSession; socket?: ExecSocketFactory },
): Promise<Read<SourceFacts>> {
  const pod = src.value.pod;
  const ns = pod.metadata.namespace!;
  const order = containerOrder(pod, request.container);
  if (
    request.container &&
    !pod.spec.containers.some((c) => c.name === request.container) &&
    !(pod.spec.ephemeralContainers ?? []).some((c) => c.name === request.container)
  ) {
    return {
      state: 'not-found',
      message: `pod ${ns}/${pod.metadata.name} has no container "${request.container}" (it has: ${pod.spec.containers.map((c) => c.name).join(', ')})`,
    };
  }
  if (execDenied) {
    notes.push(`pods/exec is forbidden in namespace ${ns}: live probes were not run`);
    return { state: 'ok', value: { ...src.value, container: order[0], tools: null, hasShell: null } };
  }
  // one exec per container: the tools it has and its /etc/resolv.conf
  const detectIn = async (container: string) => {
    if (hold) {
      // held (its exec becomes the probes' exec); null: it could not serve, the plain exec runs
      const h = await inspectHeld(api, { namespace: ns, pod: pod.metadata.name, container }, hold.socket);
      if (h?.session) hold.sessions.push(h.session);
      if (h?.session && hold.done) h.session.exec.release(); // the choice is made already: unused
      if (h) return { container, exec: h.exec, ...h.inspection, session: h.session };
    }
    const exec = await runExec(api, { namespace: ns, pod: pod.metadata.name, container, argv: inspectContainerArgv(), timeoutMs: 6000 });
    return { container, exec, ...parseContainerInspection(exec), session: undefined as HeldSession | undefined };
  };
  let chosen: Awaited<ReturnType<typeof detectIn>> | undefined;
  const tried: string[] = [];
  // the first two containers are inspected at once (a shell-less app container then costs no extra
  // round trip); the choice below still follows the order
  const early = order.slice(0, 2).map(detectIn);
  for (const [i, c] of order.entries()) {
    const d = await (early[i] ?? detectIn(c));
    tried.push(`${c}: ${d.hasShell === false ? 'no shell' : d.exec.state !== 'completed' ? `exec ${d.exec.state} (${d.exec.error ?? ''})` : 'ok'}`);
    if (!chosen) chosen = d;
    if (d.tools) {
      chosen = d;
      break;
    }
    if (d.exec.errorKind === 'forbidden' || d.exec.errorKind === 'unreachable' || d.exec.state === 'timeout') break;
  }
  if (chosen && chosen.container !== order[0] && chosen.tools) {
    notes.push(`container ${order[0]} has no shell; probes ran from container ${chosen.container} (same pod, same network namespace)`);
  }
  if (hold && chosen!.tools) hold.kept = chosen!.session;
  let value: SourceFacts = {
    ...src.value,
    container: chosen!.container,
    tools: chosen!.tools,
    hasShell: chosen!.hasShell,
    resolvConf: chosen!.resolvConf,
    ...inspectionFailure(chosen!),
  };
  if (!chosen!.tools && chosen!.hasShell === false && request.ephemeral) {
    const image = request.debugImage ?? DEFAULT_DEBUG_IMAGE;
    const eph = await ensureEphemeral(api, pod, image, 30000); // 30 s or the run's deadline, whichever is first
    if (eph.error) {
      notes.push(`--ephemeral: could not add a debug container: ${eph.error}`);
    } else {
      const d = await detectIn(eph.container);
      if (hold && d.tools) hold.kept = d.session;
      value = {
        ...value,
        container: eph.container,
        tools: d.tools,
        hasShell: d.hasShell,
        resolvConf: d.resolvConf,
        ephemeral: { container: eph.container, image, reused: eph.reused },
        ...inspectionFailure(d), // (none for the first container: it had no shell)
      };
    }
  }
  if (!value.tools) notes.push(`tool detection: ${tried.join('; ')}`);
  return { state: 'ok', value };
}
