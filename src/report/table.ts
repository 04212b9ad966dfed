// renderTable(): the terminal report — one row per step with its verdict, then the DIAGNOSIS block;
// with verbose, every finding's evidence, every probe's kubectl line and per-step timings.

import { suggestionsOf } from './suggestions.js';
import { LAYER_TITLES, type Finding } from '../model/finding.js';
import { paint, type Paint } from './ansi.js';
import { neutralizeReport } from './neutralize.js';
import { byWorst, MARK, WORD } from './status.js';
import type { Report, ReportStep } from './types.js';
import { renderBox, type CellLine } from './box.js';
import { renderPathText } from './path-text.js';

export interface TableOptions {
  color: boolean;
  verbose: boolean;
  /** Unicode glyphs in the path picture (else ASCII); see unicodeFromEnv in path-text.ts. Default true. */
  unicode?: boolean;
}

const WIDTH = 100;

function stepSummary(step: ReportStep, verbose: boolean, p: Paint): CellLine[] {
  if (step.findings.length === 0) return [{ text: 'nothing to check', style: p.dim }];
  const shown = verbose
    ? byWorst(step.findings)
    : byWorst(step.findings)
        .filter((f, i) => i === 0 || f.status === 'fail' || f.status === 'unknown' || f.status === 'warn')
        .slice(0, 4);
  const lines: CellLine[] = [];
  for (const f of shown) {
    // the mark keeps its colour; the text after it wraps as plain text (wrap first, style after)
    const mark = MARK[f.status];
    lines.push({ text: `${mark} ${f.summary}`, style: (s) => (s.startsWith(mark) ? p.status(f.status, mark) + s.slice(mark.length) : s) });
    if (!verbose) continue;
    lines.push({ text: `    [${f.code}]`, style: p.dim });
    for (const e of f.evidence) lines.push({ text: `    ${e}`, style: p.dim });
  }
  return lines;
}

function stepsTable(r: Report, o: TableOptions, p: Paint): string {
  const rows = r.steps.map((s) => [s.title, [{ text: WORD[s.status], style: (x: string) => p.status(s.status, x) }], stepSummary(s, o.verbose, p)]);
  return renderBox(['Step', 'Status', 'What k8snet saw'], rows, { colWidths: [28, 10, WIDTH - 38 - 4], headStyle: p.bold });
}

function findingLine(f: Finding, p: Paint): string {
  return `  ${p.status(f.status, MARK[f.status])} ${f.summary} ${p.dim(`[${f.code}]`)}`;
}

function diagnosisBlock(r: Report, o: TableOptions, p: Paint): string {
  const d = r.diagnosis;
  const lines: string[] = [];
  const verdict =
    d.verdict === 'healthy' ? p.status('pass', 'HEALTHY') : d.verdict === 'fault' ? p.status('fail', 'FAULT') : p.status('unknown', 'INCONCLUSIVE');
  lines.push(p.bold('DIAGNOSIS'));
  lines.push(`  Verdict:    ${verdict}${d.layer ? `  layer: ${p.bold(LAYER_TITLES[d.layer])}` : ''}`);
  lines.push(`  ${p.bold(d.headline)}`);
  lines.push(`  Confidence: ${d.confidence}${d.confidenceNotes.length ? ` — ${d.confidenceNotes.join('; ')}` : ''}`);
  if (d.evidence.length) {
    lines.push('', p.bold('Evidence'));
    for (const f of d.evidence) {
      lines.push(findingLine(f, p));
      for (const e of f.evidence.slice(0, o.verbose ? 20 : 4)) lines.push(p.dim(`      ${e}`));
    }
  }
  if (d.next.length) {
    lines.push('', p.bold('Next'));
    for (const n of d.next) lines.push(`  $ ${n}`);
  }
  for (const y of suggestionsOf(d.evidence)) {
    lines.push(
      '',
      p.bold(y.title),
      ...y.yaml
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  if (d.warnings.length) {
    lines.push('', p.bold('Warnings'));
    for (const f of d.warnings) lines.push(findingLine(f, p));
  }
  if (d.unknowns.length) {
    lines.push('', p.bold('Could not check'));
    for (const f of d.unknowns) lines.push(findingLine(f, p));
  }
  if (o.verbose) lines.push('', p.dim(`  rule: ${d.rule}`));
  return lines.join('\n');
}

function probesBlock(r: Report, p: Paint): string {
  if (r.probes.length === 0) return '';
  const lines = [p.bold('Probes')];
  for (const pr of r.probes) {
    const exit = pr.state === 'completed' ? `exit ${pr.exitCode}` : pr.state;
    lines.push(`  ${pr.id}  ${pr.label}  ${p.dim(`${pr.tool ?? 'no tool'} ${exit}${pr.elapsedMs !== null ? ` ${pr.elapsedMs} ms` : ''}`)}`);
    if (pr.kubectl) lines.push(`    $ ${pr.kubectl}`);
    if (pr.stdout) lines.push(p.dim(`    stdout: ${pr.stdout.split('\n').slice(0, 4).join(' | ')}`));
    if (pr.stderr) lines.push(p.dim(`    stderr: ${pr.stderr.split('\n').slice(0, 4).join(' | ')}`));
  }
  return lines.join('\n');
}

function timingsBlock(r: Report, p: Paint): string {
  if (r.timings.length === 0) return '';
  const t = renderBox(
    ['Gather step', 'start ms', 'ms', 'API requests'],
    r.timings.map((x) => [x.step, x.startMs === undefined ? '' : String(x.startMs), String(x.ms), String(x.requests)]),
    { headStyle: p.bold },
  );
  return `${t}\n${p.dim(`total API requests: ${r.requests}`)}`;
}

export function renderTable(untrusted: Report, opts: TableOptions): string {
  // every cluster- and probe-derived string is neutralised before layout (src/report/neutralize.ts)
  const report = neutralizeReport(untrusted);
  const p = paint(opts.color);
  const src = report.source ? `${report.source.namespace}/${report.source.pod} (${report.source.container})` : '(no --from: nothing probed)';
  const header = [
    `${p.bold('k8snet diagnose')} ${report.target.namespace}/${report.target.name}${report.target.type ? ` [${report.target.type}${report.target.clusterIP && report.target.clusterIP !== 'None' ? ` ${report.target.clusterIP}` : ''}]` : ''}`,
    `from ${src}${report.context.name ? `  context ${report.context.name}` : ''}`,
  ].join('\n');
  const parts = [
    header,
    ...(report.path ? [renderPathText(report.path, { color: opts.color, unicode: opts.unicode ?? true })] : []),
    stepsTable(report, opts, p),
    diagnosisBlock(report, opts, p),
  ];
  if (opts.verbose) {
    parts.push(probesBlock(report, p), timingsBlock(report, p));
    if (report.notes.length) parts.push([p.bold('Notes'), ...report.notes.map((n) => `  ${n}`)].join('\n'));
  }
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}
