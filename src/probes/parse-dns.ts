// Turns a dns ProbeFact into a DnsOutcome: shared exec-status rules first, then the tool's parser.
import type { DnsOutcome, ProbeFact } from '../model/probe.js';
import { judgeExecStatus, programOf } from './exit-status.js';
import { parseDig } from './parse-dig.js';
import { parseGetent } from './parse-getent.js';
import { parseNslookup } from './parse-nslookup.js';

export function parseDns(probe: ProbeFact): DnsOutcome {
  const status = judgeExecStatus(probe.tool === null ? undefined : probe.exec);
  if (status) return { kind: status.kind, addresses: [], detail: status.detail };
  const exec = probe.exec!;
  const tool = probe.tool ?? programOf(exec.argv);
  switch (tool) {
    case 'dig':
      return parseDig(exec, probe.target);
    case 'nslookup':
      return parseNslookup(exec, probe.target);
    case 'getent':
      return parseGetent(exec);
    default:
      return { kind: 'error', addresses: [], detail: `no DNS parser for tool "${tool}" (exit ${exec.exitCode})` };
  }
}
