// The unit-tested rows of docs/reliability.md: each claim points at the test file, and the test
// name, that asserts exactly that claim. test/unit/safety/reliability-citations.test.ts fails when
// a cited file or test name does not exist. test/e2e/reliability.mjs renders these rows.
// observed: what the test asserted when it last passed (the tests fail otherwise).

export const UNIT_ROWS = [
  {
    tried: 'invalid namespaces and names (DNS-1123), `ns/$(id)`, `ns/a;rm -rf /` as TARGET or --from',
    expected: 'exit-2 UserError naming the flag',
    observed: 'refused',
    file: 'test/unit/cli/args.test.ts',
    name: "'ns/$(id)'",
  },
  {
    tried: '--path with spaces, quotes, backticks, backslashes or newlines',
    expected: 'refused (exit 2)',
    observed: 'refused',
    file: 'test/unit/cli/args.test.ts',
    name: "describe('parsePath'",
  },
  {
    tried: '--path `/$(id)`, `/a;id`, `/a&&id`, `/a|id` (legal URL characters)',
    expected: 'accepted as a URL path; stays one inert argv element for curl and wget, single-quoted in the reproduction line',
    observed: 'one argv element through a real sh',
    file: 'test/unit/probes/injection.test.ts',
    name: 'legal-but-dangerous path characters stay one inert argv element',
  },
  {
    tried: 'hosts, DNS servers and Host headers with shell or option syntax',
    expected: 'rejected by the probe builders',
    observed: 'rejected',
    file: 'test/unit/probes/injection.test.ts',
    name: 'hosts, servers and Host headers with shell or option syntax are rejected',
  },
  {
    tried: 'generated garbage and damaged facts files fed to `k8snet analyze`',
    expected: 'a UserError naming the field, never a crash',
    observed: 'refused or analysed',
    file: 'test/unit/facts-fuzz.test.ts',
    name: 'arbitrary JSON is refused with a UserError (never another error)',
  },
  {
    tried: 'malformed YAML/JSON, wrong kinds, missing fields, oversized files for `policy --manifests`',
    expected: 'an error naming file and document; the loader never throws',
    observed: 'as expected',
    file: 'test/unit/manifests/load.test.ts',
    name: 'never throws on garbage',
  },
  // issue 16
  {
    tried:
      'ESC/CSI/OSC, CR, C1, DEL and bidi overrides in label values, Ingress class annotations and hosts, probe stderr, log lines (a forged "Verdict: HEALTHY" and `next:`)',
    expected: 'shown as visible escapes in table, verbose and Markdown; one real "Verdict:" line; JSON keeps the bytes, escaped',
    observed: 'no control character reaches the output; JSON round-trips',
    file: 'test/unit/report/neutralize.test.ts',
    name: 'no control characters reach the terminal',
  },
  {
    tried: 'tenant text with `|`, `#`, links, `<img>` and ``` in Markdown output',
    expected: 'cannot forge table cells, headings, links, HTML or close a code fence',
    observed: '4 pipes per row, no forged heading/link, fence longer than any backtick run',
    file: 'test/unit/report/neutralize.test.ts',
    name: 'tenant text cannot forge table cells, headings, links or close code fences',
  },
  {
    tried: 'hostile labels in `k8snet policy` table/markdown and API text in error messages',
    expected: 'neutralised',
    observed: 'neutralised',
    file: 'test/unit/report/neutralize.test.ts',
    name: 'policy table and markdown neutralise labels and names from the cluster or manifests',
  },
  {
    tried: 'a pod with a literal DB_PASSWORD, a valueFrom secretKeyRef, envFrom, last-applied-configuration and managedFields; unrelated controller log lines',
    expected: 'none of it in the saved facts or any output format',
    observed: 'absent',
    file: 'test/unit/safety/saved-facts.test.ts',
    name: 'no env value, valueFrom reference, envFrom, last-applied or managedFields survives',
  },
  {
    tried: '`--save` over an existing 0644 file',
    expected: 'written 0600, redacted',
    observed: 'mode 600',
    file: 'test/unit/safety/saved-facts.test.ts',
    name: 'writes redacted facts with mode 0600, also over an existing world-readable file',
  },
  {
    tried: 'every file in test/fixtures scanned for env, envFrom, managedFields, last-applied',
    expected: 'none',
    observed: 'none',
    file: 'test/unit/safety/saved-facts.test.ts',
    name: 'recorded and hand-made fixtures carry no env',
  },
  {
    tried: 'a run that fails before any facts exist, with `--save`',
    expected: 'no file left behind',
    observed: 'no file',
    file: 'test/unit/safety/saved-facts.test.ts',
    name: 'a run that fails before any facts exist leaves no file behind',
  },
  {
    tried: 'a kubeconfig exec credential plugin that sleeps forever, `--timeout 3s`',
    expected: 'plugin killed at the deadline, exit 3, three-part error naming the plugin',
    observed: 'exit 3 in < 5.5 s in the test runner (2.5 s wall for the built CLI with --timeout 2s)',
    file: 'test/unit/cluster/credentials.test.ts',
    name: 'a plugin that never exits is killed at the run deadline',
  },
  {
    tried: '--ephemeral when the debug container never starts, run deadline 1.5 s',
    expected: 'the wait ends at the deadline, not after 30 s',
    observed: '< 2.2 s',
    file: 'test/unit/gather/ephemeral.test.ts',
    name: 'the wait ends at the run deadline, not after a fixed 30 s',
  },
  {
    tried: "every probe's exec stream never completes (k8snet's own deadline)",
    expected: 'unknown "could not tell" findings; inconclusive (exit 3), never pod-network',
    observed: 'inconclusive',
    file: 'test/unit/safety/exec-deadline.test.ts',
    name: 'with nothing else deciding, the run is inconclusive (exit 3), never pod-network',
  },
  {
    tried: '--probe-timeout 601s, 11m, 60m, 3600s',
    expected: 'exit 2 at parse time naming the 600 s limit',
    observed: 'exit 2',
    file: 'test/unit/safety/limits.test.ts',
    name: 'is refused at parse time (exit 2, names the limit)',
  },
  {
    tried: '--ephemeral when an earlier k8snet debug container has terminated',
    expected: 'a new debug container is added, the old one left alone',
    observed: 'new container, one PATCH',
    file: 'test/unit/gather/ephemeral.test.ts',
    name: 'does not reuse a terminated debug container: adds a new one',
  },
  {
    tried: 'a missing credential plugin; a failing one; credentials with an http:// server (kubectl proxy)',
    expected: 'three-part configuration errors (exit 3), never "a bug in k8snet"; http:// without credentials works',
    observed: 'as expected; nothing sent in clear',
    file: 'test/unit/cluster/credentials.test.ts',
    name: 'refuse to send credentials in the clear: a three-part configuration error',
  },
  {
    tried: 'an unexpected internal error',
    expected: 'exit 4, apart from 3',
    observed: 'exit 4',
    file: 'test/unit/cluster/credentials.test.ts',
    name: 'an unexpected (internal) error exits 4, not 3, and says it is a bug',
  },
  {
    tried: '`policy --manifests` with policyTypes [Ingres], ports 0/70000/-5/1.5, `HTTP_BAD!`, endPort below port, empty peers, bad except',
    expected: 'exit 2 naming document, field and rule, as the API server rejects them',
    observed: 'rejected',
    file: 'test/unit/manifests/np-validation.test.ts',
    name: 'rejects: %s',
  },
  {
    tried: '`podSelector: {matchLabels: null}` and other nulls',
    expected: 'accepted (null is absent), as the API server does',
    observed: 'accepted; means the empty selector',
    file: 'test/unit/manifests/np-validation.test.ts',
    name: 'matchLabels: null is accepted and means the empty selector',
  },
  {
    tried: 'deploy/rbac.yaml against docs/rbac.md; `k8snet rbac --namespaces a,b`',
    expected: 'default without the ephemeral patch; exec as Roles+RoleBindings per namespace',
    observed: 'as expected',
    file: 'test/unit/rbac.test.ts',
    name: '--namespaces: exec (and ephemeral, tls-secrets) become Roles and RoleBindings in each namespace; no cluster-wide exec',
  },
  {
    tried: "kube-dns's selector (k8s-app=kube-dnss) matches none of the Ready CoreDNS pods: no endpoints",
    expected: 'the near-miss analysis on kube-dns names the selector and the closest pod; no headline claims "no CoreDNS pod answers"',
    observed: 'selector and near miss named',
    file: 'test/unit/safety/kube-dns-selector.test.ts',
    name: 'the finding names the selector and the near miss, and claims nothing about answers',
  },
  {
    tried: 'wget, nslookup and getent probes from a container without `timeout` but with sh and `sleep` (busybox)',
    expected:
      "bounded by k8snet's sh watchdog: killed after the probe timeout (exit 124 = timeout), the tool's own exit status passed through otherwise (recorded under busybox sh)",
    observed: 'bounded',
    file: 'test/unit/safety/unbounded-probes.test.ts',
    name: 'without `timeout` but with sh and sleep: bounded by the sh watchdog',
  },
  {
    tried: 'wget, nslookup and getent probes from a container with neither `timeout` nor `sleep`',
    expected: 'the evidence says the probe ran unbounded inside the container',
    observed: 'said',
    file: 'test/unit/safety/unbounded-probes.test.ts',
    name: 'with neither `timeout` nor `sleep`: the evidence says it ran unbounded',
  },
  {
    tried: 'ClusterIP and pod IPs time out while NetworkPolicy could not be evaluated (policies unreadable)',
    expected: 'the pod network is not named (a policy may be what drops); no "dropped below NetworkPolicy" headline',
    observed: 'not named',
    file: 'test/unit/safety/layer-not-evaluated.test.ts',
    name: 'pod-network-broken with unreadable policies: not pod-network',
  },
  {
    tried: 'a Service without a selector (manual EndpointSlice of pod IPs) behind an egress policy that allows only the Service CIDR (and DNS)',
    expected:
      'NetworkPolicy evaluated on the endpoint addresses (not "not evaluated"): egress denied per endpoint pod on the slice\'s port; the ipBlock covering the ClusterIP but not the endpoints flagged (policy/egress-ipblock-cluster-ip)',
    observed: 'denied and flagged',
    file: 'test/unit/policy/endpoint-addresses.test.ts',
    name: 'egress allows only the Service CIDR: egress denied per endpoint pod, the ipBlock flagged',
  },
  {
    tried: 'the same recorded lab facts, diagnosed',
    expected: 'layer policy, the headline names the egress policy and the ipBlock mistake; never the pod network',
    observed: 'policy named',
    file: 'test/unit/policy/endpoint-addresses.test.ts',
    name: 'the diagnosis names policy and the ipBlock mistake, never the pod network',
  },
  {
    tried: 'egress allows the endpoint addresses (ipBlock /32) on a CNI k8snet does not recognise',
    expected: 'could not tell (policy/unknown), never denied; the path stays healthy',
    observed: 'unknown; healthy',
    file: 'test/unit/policy/endpoint-addresses.test.ts',
    name: 'the same ipBlock /32 on a CNI k8snet does not recognise: unknown (could not tell), never denied; the path stays healthy',
  },
  {
    tried: 'endpoint addresses that are pods of another namespace, without the cluster-wide pod lookup (namespaced grant)',
    expected: 'could not tell (policy/unknown), never judged as external addresses and denied',
    observed: 'unknown; healthy',
    file: 'test/unit/policy/endpoint-addresses.test.ts',
    name: 'without the lookup (forbidden: a namespaced grant) the addresses are "could not tell", never denied as external',
  },
  {
    tried: "a kubeconfig whose client key is not its certificate's (TLS material tls refuses)",
    expected: 'a three-part configuration error naming the kubeconfig user (exit 3), never "a bug in k8snet"; nothing sent',
    observed: 'kind config, "key values mismatch" as the why, no connection',
    file: 'test/unit/cluster/api-tls.test.ts',
    name: 'a configuration error in three parts, not an internal one',
  },
  {
    tried: 'one shared TLS context for all connections: a server certificate for another name (no tls-server-name), a CA that did not sign it',
    expected: 'refused for reads and execs alike, as before the context was shared',
    observed: 'TLS failed (config error) for the read, exec-failed for the exec, nothing reached the server',
    file: 'test/unit/cluster/api-tls.test.ts',
    name: 'a CA that did not sign the server certificate is refused, reads and execs alike',
  },
  {
    tried: 'every test file and test name cited in docs/reliability.md',
    expected: 'exists',
    observed: 'exists',
    file: 'test/unit/safety/reliability-citations.test.ts',
    name: 'every cited test file and test name exists',
  },
];

const esc = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/** The section's Markdown lines (reliability.mjs puts them after the scenario table). */
export function renderUnitSection() {
  return [
    '## Unit-tested bad input and safety',
    '',
    'Each row points at the test that asserts exactly that claim (rows: `test/e2e/reliability-unit.mjs`;',
    '`test/unit/safety/reliability-citations.test.ts` fails when a cited file or test name does not exist).',
    '',
    '| tried | expected | observed | test |',
    '| --- | --- | --- | --- |',
    ...UNIT_ROWS.map((r) => `| ${esc(r.tried)} | ${esc(r.expected)} | ${esc(r.observed)} | \`${r.file}\` "${esc(r.name)}" |`),
    '',
  ];
}
