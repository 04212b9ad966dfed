// Reads a `bash -c 'exec 3<>/dev/tcp/HOST/PORT'` connect probe: exit 0 = connected, else bash's errno text.
import type { ConnectOutcome, ExecResult } from '../model/probe.js';
import { errnoOutcome, firstLine } from './exit-status.js';

/** bash prints "HOST: connect: Connection refused" then "...: /dev/tcp/HOST/PORT: Connection refused" and exits 1. */
export function parseBashConnect(exec: ExecResult): ConnectOutcome {
  const code = exec.exitCode;
  if (code === 0) return { kind: 'ok', connected: true, detail: 'bash /dev/tcp exit 0: the TCP handshake completed' };
  const text = `${exec.stderr}\n${exec.stdout}`;
  const msg = firstLine(exec.stderr);
  if (/name or service not known|unknown host|temporary failure in name resolution/i.test(text)) {
    return { kind: 'dns-failure', connected: false, detail: `bash exit ${code}: "${msg}"` };
  }
  const errno = errnoOutcome(text);
  if (errno === 'refused' || errno === 'no-route' || errno === 'timeout') {
    return { kind: errno, connected: false, detail: `bash exit ${code}: "${msg}" (the errno text decides)` };
  }
  return { kind: 'error', detail: `bash exit ${code}: ${msg}` };
}
