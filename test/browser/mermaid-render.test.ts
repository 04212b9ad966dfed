// The -o markdown path picture, rendered by the real mermaid library in headless Chromium (Debian's
// /usr/bin/chromium, no browser download): the SVG has a node per hop, the failing hop carries the
// failed style, and tenant strings stay text. A screenshot is written for a human to look at.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { analyzeFacts } from '../../src/pipeline.js';
import { renderPathMermaid } from '../../src/report/path-mermaid.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadFacts } from '../unit/helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.K8SNET_CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(ROOT, '.lab', 'browser');
const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set K8SNET_CHROMIUM; this test must not be skipped`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1600, height: 700 } });
  await page.setContent('<!doctype html><html><body style="background:#fff"><div id="out"></div></body></html>');
  await page.addScriptTag({ content: readFileSync(MERMAID, 'utf8') });
  await page.evaluate(() =>
    (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }),
  );
  mkdirSync(OUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Renders Mermaid source in the page; returns the SVG text (throws on a Mermaid parse error). */
async function render(src: string): Promise<string> {
  return page.evaluate(async (s) => {
    const m = (globalThis as unknown as { mermaid: { render(id: string, src: string): Promise<{ svg: string }> } }).mermaid;
    const { svg } = await m.render(`g${Math.random().toString(36).slice(2)}`, s);
    document.getElementById('out')!.innerHTML = svg;
    return svg;
  }, src);
}

function mermaidOf(name: string): string {
  const md = renderMarkdown(analyzeFacts(loadFacts(name)).report);
  const m = /```mermaid\n([\s\S]*?)\n```/.exec(md);
  if (!m) throw new Error(`no mermaid block in the markdown report of ${name}`);
  return m[1];
}

describe('Mermaid path in headless Chromium', () => {
  it('renders the policy fault: every hop a node, the denying gate styled failed', async () => {
    const src = mermaidOf('default-deny-no-allow');
    const svg = await render(src);
    for (const label of [
      'orders/orders-api-5c8d7f9b6-qwert',
      'DNS payments-api.payments',
      '10.96.12.4:80',
      'payments/default-deny-ingress',
      '10.244.0.21:8080',
    ]) {
      expect(svg).toContain(label);
    }
    // the failed class reaches the SVG nodes, with its fill
    const failed = await page.$$eval('#out g.node.failed', (els) => els.map((e) => e.id));
    expect(failed.some((id) => /gate_0/.test(id))).toBe(true);
    expect(failed.some((id) => /endpoint_0/.test(id))).toBe(true);
    const fill = await page.$eval('#out g.node.failed rect.label-container', (e) => getComputedStyle(e).fill);
    expect(fill).toBe('rgb(252, 232, 230)');
    const passed = await page.$$eval('#out g.node.passed', (els) => els.map((e) => e.id));
    expect(passed.some((id) => /source/.test(id))).toBe(true);
    await page.screenshot({ path: join(OUT, 'path-default-deny.png'), fullPage: true });
  });

  it('renders the Ingress entry chain in front', async () => {
    const svg = await render(mermaidOf('ingress-no-controller'));
    expect(svg).toContain('Ingress payments/payments-api');
    const failed = await page.$$eval('#out g.node.failed', (els) => els.map((e) => e.id));
    expect(failed.some((id) => /entry_0_1/.test(id))).toBe(true);
    await page.screenshot({ path: join(OUT, 'path-ingress.png'), fullPage: true });
  });

  it('a hostile pod name stays text: no element, no link, no script', async () => {
    const facts = loadFacts('healthy');
    const { report } = analyzeFacts(facts);
    report.path!.endpoints[0].pod = '"]; click source "javascript:alert(1)"; <img src=x onerror=alert(1)> `x` #quot;';
    const svg = await render(renderPathMermaid(report.path!));
    expect(svg).not.toContain('<img');
    // the text may say anything; no attribute (href, onclick, ...) may carry it
    expect(await page.$$eval('#out *', (els) => els.some((e) => [...e.attributes].some((a) => /javascript:|alert/.test(a.value))))).toBe(false);
    expect(await page.$$eval('#out a', (els) => els.length)).toBe(0);
    expect(await page.$$eval('#out img', (els) => els.length)).toBe(0);
    expect(await page.$eval('#out', (e) => e.textContent ?? '')).toContain('onerror=alert');
  });
});
