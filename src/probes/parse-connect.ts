// Turns an http/tcp ProbeFact into a ConnectOutcome: shared exec-status rules first, then the tool's parser.
import type { ConnectOutcome, ProbeFact } from '../model/probe.js';
import { judgeExecStatus, programOf } from './exit-status.js';
import { parseCurl } from './parse-curl.js';
import { parseNc } from './parse-nc.js';
import { parseWget } from './parse-wget.js';
import { CONNECT_ONLY_TOOLS } from './build-tcp-probe.js';
import { parseBashConnect } from './parse-bash-connect.js';

/** A line busybox wget -S printed from the server (indented) that is not an HTTP status line. */
function receivedLine(stderr: string): string | undefined {
  const line = stderr.split(/\r?\n/).find((l) => /^ {2}\S/.test(l) && !/^\s*HTTP\//.test(l));
  return line?.trim().slice(0, 120);
}

export function parseConnect(probe: ProbeFact): ConnectOutcome {
  const status = judgeExecStatus(probe.tool === null ? undefined : probe.exec);
  if (status) {
    const out: ConnectOutcome = { kind: status.kind, detail: status.detail };
    const exec = probe.exec;
    // a connect-only tool stopped by its `timeout` wrapper never completed the handshake (it exits on
    // connect); k8snet's own exec deadline (state timeout) says nothing about the handshake
    if (status.kind === 'timeout' && exec?.state === 'completed' && (CONNECT_ONLY_TOOLS as readonly string[]).includes(probe.tool ?? '')) out.connected = false;
    // busybox wget -S echoes the first line the server sent, whatever it is: bytes came back
    if (status.kind === 'timeout' && exec?.state === 'completed' && probe.tool === 'wget') {
      const got = receivedLine(exec.stderr);
      if (got) {
        out.connected = true;
        out.received = got;
        out.detail = `${status.detail}; but the server sent "${got}" first (not HTTP): the connection works`;
      }
    }
    return out;
  }
  const exec = probe.exec!;
  const kind = probe.kind === 'tcp' ? 'tcp' : 'http';
  const tool = probe.tool ?? programOf(exec.argv);
  switch (tool) {
    case 'curl':
      return parseCurl(exec, kind);
    case 'wget':
      return parseWget(exec, kind);
    case 'nc':
    case 'ncexec':
      return parseNc(exec);
    case 'bash':
      return parseBashConnect(exec);
    default:
      return { kind: 'error', detail: `no connect parser for tool "${tool}" (exit ${exec.exitCode})` };
  }
}
