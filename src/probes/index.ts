// The probes layer: command builders, exec-output parsers and the kubectl line for each probe (pure, no I/O).
export { buildDnsProbe } from './build-dns-probe.js';
export { buildHttpProbe, CURL_WRITE_OUT } from './build-http-probe.js';
export { buildReadFileArgv } from './build-read-file.js';
export { buildTcpProbe } from './build-tcp-probe.js';
export { detectToolsArgv, parseToolDetection, type ToolDetection } from './detect-tools.js';
export { kubectlCommand, shellQuote, type ExecCommand } from './kubectl-command.js';
export { parseConnect } from './parse-connect.js';
export { parseDns } from './parse-dns.js';
export { parseResolvConf, type ResolvConf } from './parse-resolv-conf.js';
export type { ProbeCommand } from './probe-command.js';
export { ProbeInputError, type ProbeInputField } from './probe-input-error.js';
export { parseApp, type AppOutcome, type AppOutcomeKind } from './parse-app.js';
export { BASH_CONNECT_SCRIPT, CONNECT_ONLY_TOOLS } from './build-tcp-probe.js';
export { decidePortProtocol, PROBE_OVERRIDES, type AppProtocol, type PortProtocol, type ProbeOverride } from './port-protocol.js';
