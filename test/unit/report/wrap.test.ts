// Wrapping and the box table: widths hold, no text is lost, continuation lines keep their indent,
// styling never changes the layout.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderBox } from '../../../src/report/box.js';
import { textWidth, wrapLine, wrapText } from '../../../src/report/wrap.js';

const ANSI = /\u001b\[[0-9;]*m/g;
const words = (s: string) => s.split(/\s+/).filter(Boolean).join('');

describe('textWidth', () => {
  it.each([
    ['plain ascii', 'abc def', 7],
    ['status marks are one column', '✓ ✗ ·', 5],
    ['wide CJK counts two', '名前', 4],
    ['combining accent counts zero', 'e\u0301', 1],
    ['astral emoji counts two', '🔥x', 3],
    ['controls count zero', 'a\u0007b', 2],
  ])('%s', (_name, s, want) => {
    expect(textWidth(s)).toBe(want);
  });
});

describe('wrapLine', () => {
  it('breaks at spaces and keeps the hanging indent of the line', () => {
    expect(wrapLine('    $ kubectl exec -n orders orders-api -c toolbox -- wget -q', 24)).toEqual([
      '    $ kubectl exec -n',
      '    orders orders-api -c',
      '    toolbox -- wget -q',
    ]);
  });

  it('splits a word longer than the line instead of truncating it', () => {
    expect(wrapLine('url http://10.244.0.28:8080/a-very-long-path', 12)).toEqual(['url http://1', '0.244.0.28:8', '080/a-very-l', 'ong-path']);
  });

  it('a long word after a full line starts a new line, never fused to the word before', () => {
    expect(wrapLine('abcd efghij', 5)).toEqual(['abcd', 'efghi', 'j']);
    expect(wrapLine('httproute other/route-1 api.example.com/v2/x', 24)).toEqual(['httproute other/route-1', 'api.example.com/v2/x']);
  });

  it('does not split a wide character across lines', () => {
    expect(wrapLine('名前名前名', 3)).toEqual(['名', '前', '名', '前', '名']);
  });

  it('leaves a fitting line alone, trailing spaces included', () => {
    expect(wrapLine('  ok  ', 10)).toEqual(['  ok  ']);
    expect(wrapLine('', 10)).toEqual(['']);
  });

  it('property: every line fits, every word survives in order', () => {
    const text = fc.stringMatching(/^[ a-z0-9/:.\-名✓]{0,300}$/);
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 80 }), (s, w) => {
        const lines = wrapLine(s, w);
        for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(w);
        expect(words(lines.join(' '))).toBe(words(s));
        // each piece on a line is the next part of one input word: no two words fused
        const input = s.split(' ').filter(Boolean);
        let wi = 0;
        let rest = input[0] ?? '';
        for (const piece of lines.flatMap((l) => l.split(' ').filter(Boolean))) {
          expect(rest.startsWith(piece)).toBe(true);
          rest = rest.slice(piece.length);
          if (rest === '') rest = input[++wi] ?? '';
        }
        expect(wi).toBe(input.length);
      }),
      { numRuns: 300 },
    );
  });

  it('wrapText wraps each input line on its own', () => {
    expect(wrapText('a b c\nd e f', 3)).toEqual(['a b', 'c', 'd e', 'f']);
  });
});

describe('renderBox', () => {
  const rows = [
    [
      'Service',
      'PASS',
      [
        { text: '✓ a long summary that has to wrap over a few lines of the column' },
        { text: '    evidence line that is also long enough to wrap', style: (s: string) => `\u001b[2m${s}\u001b[22m` },
      ],
    ],
    ['DNS', 'FAIL', 'short'],
  ];

  it('every line has the same width, with or without styles', () => {
    const out = renderBox(['Step', 'Status', 'Saw'], rows, { colWidths: [10, 8, 30], headStyle: (s) => `\u001b[1m${s}\u001b[22m` });
    const plain = out.replace(ANSI, '').split('\n');
    expect(new Set(plain.map(textWidth))).toEqual(new Set([10 + 8 + 30 + 4]));
    expect(plain[1]).toBe('│ Step     │ Status │ Saw                          │');
    expect(plain).toContain('│          │        │     evidence line that is    │');
    // styles wrap each piece, never the padding or the border
    expect(out).toContain('\u001b[2m    also long enough to wrap\u001b[22m');
  });

  it('compact drops the rules between body rows; borderStyle styles borders only', () => {
    const grey = (s: string) => `\u001b[90m${s}\u001b[39m`;
    const out = renderBox(
      ['a', 'b'],
      [
        ['1', '2'],
        ['3', '4'],
      ],
      { compact: true, borderStyle: grey },
    );
    const plain = out.replace(ANSI, '').split('\n');
    expect(plain).toEqual(['┌───┬───┐', '│ a │ b │', '├───┼───┤', '│ 1 │ 2 │', '│ 3 │ 4 │', '└───┴───┘']);
    expect(out.split('\n')[3]).toBe(`${grey('│')} 1 ${grey('│')} 2 ${grey('│')}`);
    expect(
      renderBox(['a'], [['1'], ['2']])
        .split('\n')
        .filter((l) => l.startsWith('├')),
    ).toHaveLength(2);
  });

  it('fits unsized columns to their widest line', () => {
    const out = renderBox(
      ['Gather step', 'ms'],
      [
        ['endpoints', '12'],
        ['dns', '1234567'],
      ],
    );
    expect(out.split('\n')[0]).toBe('┌─────────────┬─────────┐');
    expect(out).toContain('│ dns         │ 1234567 │');
  });
});
