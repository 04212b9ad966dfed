// Every Gateway API finding code is documented on its layer page, and the catalogue knows each one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GATEWAY_CODES } from '../../../src/model/codes-gateway.js';
import { layerOf } from '../../../src/model/codes.js';

describe('docs/layers/gateway.md', () => {
  const doc = readFileSync(new URL('../../../docs/layers/gateway.md', import.meta.url), 'utf8');
  it.each(Object.keys(GATEWAY_CODES) as (keyof typeof GATEWAY_CODES)[])('documents %s', (code) => {
    expect(doc).toContain(`| \`${code}\` |`);
    expect(layerOf(code)).toBe(code.startsWith('gateway/hop-') ? 'policy' : 'gateway');
  });
});
