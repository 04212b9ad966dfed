// Renders a sweep report: a table for the terminal (one row per Service, broken first), Markdown for
// a ticket, JSON (schema k8snet.sweep/v1). Every string from the cluster is neutralised for the terminal.

import { LAYER_TITLES, type Finding } from '../model/finding.js';
import type { SweepReport, SweepRow } from '../sweep/types.js';
import { paint, type Paint } from './ansi.js';
import { renderBox, type BoxCell } from './box.js';
import { MARK, WORD } from './status.js';

/** Control characters (C0, DEL, C1) from cluster data would drive the terminal: shown as \xNN instead. */
export function clean(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A table cell coloured by status after wrapping (renderBox). */
function statusCell(p: Paint, status: Finding['status'], text: string): BoxCell {
  return [{ text, style: (s) => p.status(status, s) }];
}

function verdictCell(r: SweepRow, p: Paint): BoxCell {
  if (r.verdict === 'fault') return statusCell(p, 'fail', 'FAULT');
  if (r.verdict === 'inconclusive') return statusCell(p, 'unknown', 'UNKNOWN');
  if (r.warnings > 0) return statusCell(p, 'warn', 'OK (warn)');
  // healthy as far as checked, with something that could not be checked: say so in the cell
  return r.unknowns > 0 ? statusCell(p, 'unknown', `OK (${r.unknowns}?)`) : statusCell(p, 'pass', 'OK');
}

function liveCell(r: SweepRow, p: Paint): BoxCell {
  if (!r.live) return '-';
  if (r.live.state === 'ok') return statusCell(p, 'pass', 'ok');
  return r.live.state === 'failed' ? statusCell(p, 'fail', 'failed') : statusCell(p, 'unknown', 'not probed');
}

function policyCell(r: SweepRow): string {
  switch (r.policy.state) {
    case 'open':
      return 'open';
    case 'restricted':
      return `restricted (${r.policy.selectedBy.length})`;
    case 'nobody':
      return `NOBODY (${r.policy.selectedBy.length})`;
    case 'unknown':
      return 'unknown';
    default:
      return '-';
  }
}

/** "Ingress production/api-ingress api.example.com/orders" -> "ingress api-ingress api.example.com/orders" in the row's namespace. */
function shortEntry(e: string, ns: string): string {
  const m = /^(\S+) ([^/\s]+)\/(\S+)(.*)$/.exec(e);
  if (!m) return e;
  return `${m[1].toLowerCase()} ${m[2] === ns ? '' : `${m[2]}/`}${m[3]}${m[4]}`;
}

function scope(r: SweepReport): string {
  return r.request.namespaces === 'all' ? 'all namespaces' : r.request.namespaces.join(', ');
}

function summaryLine(r: SweepReport): string {
  const s = r.summary;
  const nc = s.notChecked.length ? `; NOT CHECKED: ${s.notChecked.join(', ')}` : '';
  return `${s.services} Service(s): ${s.fault} fault, ${s.inconclusive} could not tell, ${s.healthy} healthy${nc}`;
}

function hygieneLines(r: SweepReport, p: Paint, line: (f: Finding) => string): string[] {
  const out: string[] = [];
  for (const n of r.namespaces) {
    if (n.hygiene.length === 0) continue;
    out.push(p.bold(`Policy hygiene: ${clean(n.name)}`));
    for (const f of n.hygiene) out.push(line(f));
  }
  return out;
}

export interface SweepTableOptions {
  color: boolean;
  verbose: boolean;
}

export function renderSweepTable(r: SweepReport, o: SweepTableOptions): string {
  const p = paint(o.color);
  const live = r.request.from !== undefined;
  const lines: string[] = [];
  lines.push(p.bold(`SWEEP ${scope(r)}${r.request.source ? ` from ${r.request.source}` : ''}`) + `  ${summaryLine(r)}`);
  const dns = r.cluster.dns.find((f) => f.status === 'fail') ?? r.cluster.dns.find((f) => f.status !== 'pass') ?? r.cluster.dns[0];
  if (dns) lines.push(`Cluster DNS: ${p.status(dns.status, MARK[dns.status])} ${clean(dns.summary)}`);
  lines.push(
    `CNI: ${r.cluster.cni.name} (${r.cluster.cni.enforcesPolicy === true ? 'enforces NetworkPolicy' : r.cluster.cni.enforcesPolicy === false ? 'does not enforce NetworkPolicy' : 'enforcement unknown'})`,
  );
  for (const n of r.namespaces.filter((x) => x.status === 'not-checked')) {
    lines.push(p.status('unknown', `NOT CHECKED ${clean(n.name)}: ${clean(n.why ?? '')}`));
  }
  if (r.rows.length > 0) {
    const head = ['Service', 'Type', 'Ready', 'Ports', 'Policy', 'Entry', ...(live ? ['Live'] : []), 'Verdict', 'Layer', 'Reason'];
    const widths = live ? [27, 11, 7, 15, 14, 24, 12, 11, 13, 40] : [27, 11, 7, 15, 14, 26, 11, 13, 46];
    const rows = r.rows.map((row): BoxCell[] => [
      clean(`${row.namespace}/${row.name}`),
      row.type,
      row.endpoints ? `${row.endpoints.ready}/${row.endpoints.total}` : '-',
      clean(row.ports.join(' ')) || '-',
      policyCell(row),
      // one line per entry (each cleaned on its own, so the line break is not escaped as \x0a)
      row.entry.map((e) => clean(shortEntry(e, row.namespace))).join('\n') || '-',
      ...(live ? [liveCell(row, p)] : []),
      verdictCell(row, p),
      row.layer ?? '-',
      clean(row.reason),
    ]);
    lines.push(renderBox(head, rows, { colWidths: widths, headStyle: p.bold, compact: true }));
  } else {
    lines.push(p.dim('no Services in the namespaces checked'));
  }
  if (o.verbose) {
    for (const row of r.rows.filter((x) => x.verdict !== 'healthy' || x.warnings > 0 || x.unknowns > 0)) {
      lines.push('', p.bold(clean(`${row.namespace}/${row.name}`)));
      for (const f of row.findings.filter((x) => x.status !== 'pass'))
        lines.push(`  ${p.status(f.status, MARK[f.status])} ${clean(f.summary)} ${p.dim(`[${f.code}]`)}`);
    }
  }
  const hy = hygieneLines(r, p, (f) => `  ${p.status(f.status, MARK[f.status])} ${clean(f.summary)} ${p.dim(`[${f.code}]`)}`);
  if (hy.length) lines.push('', ...hy);
  const withCallers = r.rows.filter((x) => x.callers);
  if (withCallers.length) {
    lines.push('', p.bold("Callers (who policy lets in; both the Service's ingress and the caller's egress judged)"));
    for (const row of withCallers) {
      for (const c of row.callers!) {
        const who = c.callers.map((x) => `${x.namespace}/${x.workload}${x.pods > 1 ? ` x${x.pods}` : ''}${x.egressBlocked ? ' (its egress blocks)' : ''}`);
        const more = c.unreadNamespaces?.length ? `; also admitted, pods not read: ${c.unreadNamespaces.join(', ')}` : '';
        lines.push(
          `  ${clean(`${row.namespace}/${row.name}`)} ${c.protocol} ${c.port}: ${clean(who.join(', ')) || 'nobody among the pods read'}${clean(more)}`,
        );
      }
    }
  }
  const next = r.rows.filter((x) => x.next && x.verdict !== 'healthy');
  if (next.length) {
    lines.push('', p.bold('Next'));
    for (const row of next.slice(0, 20)) lines.push(`  $ ${clean(row.next!)}`);
    if (next.length > 20) lines.push(p.dim(`  ... and ${next.length - 20} more (-o json lists every row)`));
  }
  for (const n of r.notes) lines.push(p.dim(`note: ${clean(n)}`));
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  return clean(s).replace(/\|/g, '\\|');
}

export function renderSweepMarkdown(r: SweepReport): string {
  const live = r.request.from !== undefined;
  const lines: string[] = [];
  lines.push(`## k8snet sweep: ${cell(scope(r))}${r.request.source ? ` from ${cell(r.request.source)}` : ''}`, '', `**${summaryLine(r)}**`, '');
  for (const f of r.cluster.dns) lines.push(`- Cluster DNS: **${WORD[f.status]}** ${cell(f.summary)}`);
  for (const n of r.namespaces.filter((x) => x.status === 'not-checked')) lines.push(`- **NOT CHECKED** \`${cell(n.name)}\`: ${cell(n.why ?? '')}`);
  lines.push(
    '',
    `| Service | Type | Ready | Ports | Policy | Entry |${live ? ' Live |' : ''} Verdict | Layer | Reason |`,
    `|---|---|---|---|---|---|${live ? '---|' : ''}---|---|---|`,
  );
  for (const row of r.rows) {
    lines.push(
      `| ${cell(`${row.namespace}/${row.name}`)} | ${row.type} | ${row.endpoints ? `${row.endpoints.ready}/${row.endpoints.total}` : '-'} | ${cell(row.ports.join(', ')) || '-'} | ${policyCell(row)} | ${cell(row.entry.join('; ')) || '-'} |${live ? ` ${row.live?.state ?? '-'} |` : ''} ${row.verdict === 'fault' ? '**FAULT**' : row.verdict === 'inconclusive' ? 'UNKNOWN' : row.warnings ? 'OK (warn)' : row.unknowns ? `OK (${row.unknowns}?)` : 'OK'} | ${row.layer ? LAYER_TITLES[row.layer] : '-'} | ${cell(row.reason)} |`,
    );
  }
  const hy = hygieneLines(
    r,
    { bold: (s) => `### ${s}`, dim: (s) => s, status: (_s, x) => x },
    (f) => `- **${WORD[f.status]}** ${cell(f.summary)} \`${f.code}\``,
  );
  if (hy.length) lines.push('', ...hy);
  const next = r.rows.filter((x) => x.next && x.verdict !== 'healthy');
  if (next.length) lines.push('', '### Next', '```sh', ...next.map((x) => clean(x.next!)), '```');
  lines.push('', `<sub>k8snet ${r.k8snetVersion} · ${r.schema} · gathered ${r.gatheredAt} · ${r.requests} API requests</sub>`);
  return `${lines.join('\n')}\n`;
}

export function renderSweepJson(r: SweepReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
