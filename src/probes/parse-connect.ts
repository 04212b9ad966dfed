// Turns an http/tcp ProbeFact into a ConnectOutcome: shared exec-status rules first, then the tool's parser.
import type { ConnectOutcome, ProbeFact } from '../model/probe.js';
import { judgeExecStatus, programOf } from './exit-status.js';
import { parseCurl } from './parse-curl.js';
import { parseNc } from './parse-nc.js';
import { parseWget } from './parse-wget.js';

export function parseConnect(probe: ProbeFact): ConnectOutcome {
  const status = judgeExecStatus(probe.tool === null ? undefined : probe.exec);
  if (status) return { kind: status.kind, detail: status.detail };
  const exec = probe.exec!;
  const kind = probe.kind === 'tcp' ? 'tcp' : 'http';
  const tool = probe.tool ?? programOf(exec.argv);
  switch (tool) {
    case 'curl':
      return parseCurl(exec, kind);
    case 'wget':
      return parseWget(exec, kind);
    case 'nc':
      return parseNc(exec);
    default:
      return { kind: 'error', detail: `no connect parser for tool "${tool}" (exit ${exec.exitCode})` };
  }
}
