// Reads an `nc -v -z -w N` probe from its exit code and, on failure, the errno text it prints.
import type { ConnectOutcome, ExecResult } from '../model/probe.js';
import { errnoOutcome, firstLine } from './exit-status.js';

export function parseNc(exec: ExecResult): ConnectOutcome {
  const code = exec.exitCode;
  const busybox = exec.argv.includes('-e');
  if (code === 0)
    return {
      kind: 'ok',
      connected: true,
      detail: busybox
        ? 'nc -e true exit 0: the TCP handshake completed (busybox nc ran the program on the connected socket)'
        : 'nc -z exit 0: the TCP handshake completed',
    };
  const text = `${exec.stderr}\n${exec.stdout}`;
  const msg = firstLine(exec.stderr);
  // busybox nc only tries to run the -e program once connected
  if (busybox && /can't execute/i.test(text)) {
    return { kind: 'ok', connected: true, detail: `nc exit ${code}: "${msg}": the connection was made (nc runs the program only once connected)` };
  }
  // Debian's busybox nc is built without -z/-v and prints its usage instead of connecting.
  if (/invalid option|unrecognized option|illegal option|^usage:/im.test(text)) {
    return { kind: 'tool-missing', detail: `this nc cannot do a connect-only probe (exit ${code}: "${msg}"); use curl or wget` };
  }
  if (/bad address|getaddrinfo|name or service not known|could not resolve/i.test(text)) {
    return { kind: 'dns-failure', connected: false, detail: `nc exit ${code}: "${msg}"` };
  }
  const errno = errnoOutcome(text);
  if (errno === 'refused' || errno === 'no-route' || errno === 'timeout') {
    return { kind: errno, connected: false, detail: `nc exit ${code}: "${msg}" (nc exits 1 for every failure; the errno text decides)` };
  }
  return { kind: 'error', detail: `nc exit ${code}: ${msg}` };
}
