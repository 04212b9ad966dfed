// What users type: names, selectors, durations, ports, paths - accepted or refused with exit 2.
import { describe, expect, it } from 'vitest';
import { parseDuration, parseFrom, parsePath, parsePortArg, parseRef } from '../../../src/cli/args.js';
import { UserError } from '../../../src/errors.js';

describe('parseRef', () => {
  it.each([
    ['payments/payments-api', { namespace: 'payments', name: 'payments-api' }],
    ['payments-api', { namespace: 'ctx-ns', name: 'payments-api' }],
    ['a/b.c-d', { namespace: 'a', name: 'b.c-d' }],
  ])('%s', (text, want) => {
    expect(parseRef(text, 'ctx-ns', 'TARGET', 'Service')).toEqual(want);
  });
  it.each(['Payments/api', 'payments/API', 'a/b/c', '', 'ns/-bad', 'ns/bad-', 'ns/a_b', 'x'.repeat(64) + '/a', 'ns/$(id)', 'ns/a;rm -rf /'])(
    'refuses %j with a UserError',
    (text) => {
      expect(() => parseRef(text, 'default', 'TARGET', 'Service')).toThrow(UserError);
    },
  );
});

describe('parseFrom', () => {
  it.each([
    ['orders/orders-api', { raw: 'orders/orders-api', namespace: 'orders', name: 'orders-api' }],
    ['orders-api', { raw: 'orders-api', namespace: 'def', name: 'orders-api' }],
    ['orders/app=orders-api', { raw: 'orders/app=orders-api', namespace: 'orders', selector: 'app=orders-api' }],
    ['orders/app.kubernetes.io/name=orders', { raw: 'orders/app.kubernetes.io/name=orders', namespace: 'orders', selector: 'app.kubernetes.io/name=orders' }],
    ['app.kubernetes.io/name=orders', { raw: 'app.kubernetes.io/name=orders', namespace: 'def', selector: 'app.kubernetes.io/name=orders' }],
    ['orders/tier in (api,web)', { raw: 'orders/tier in (api,web)', namespace: 'orders', selector: 'tier in (api,web)' }],
  ])('%s', (text, want) => {
    expect(parseFrom(text, 'def')).toEqual(want);
  });
  it.each(['orders/=x', 'orders/app==a=b', 'orders/app=$(id)', 'Orders/x'])('refuses %j', (text) => {
    expect(() => parseFrom(text, 'def')).toThrow(UserError);
  });
});

describe('parseDuration', () => {
  it.each([
    ['3s', 3000],
    ['500ms', 500],
    ['1m', 60000],
    ['2', 2000],
    ['1.5s', 1500],
  ])('%s = %d ms', (t, ms) => expect(parseDuration(t, '--timeout')).toBe(ms));
  it.each(['', 'abc', '3h', '-1s', '10ms', '2h'])('refuses %j', (t) => expect(() => parseDuration(t, '--timeout')).toThrow(UserError));
});

describe('parsePortArg', () => {
  it.each(['80', '65535', 'http', 'grpc-web'])('accepts %s', (p) => expect(parsePortArg(p)).toBe(p));
  it.each(['0', '65536', 'HTTP', 'a'.repeat(16), '80;id', '-1', '123-'])('refuses %j', (p) => expect(() => parsePortArg(p)).toThrow(UserError));
});

describe('parsePath', () => {
  it.each(['/', '/health', '/a/b?c=d&e=f', '/%20x'])('accepts %s', (p) => expect(parsePath(p)).toBe(p));
  it.each([
    'health',
    '/a b',
    "/a'b",
    '/a"b',
    '/a\nb',
    '/a`id`',
    '/a\\b',
    '/$ (id)x' /* a space; /$(id) itself is a legal URL path, kept inert: test/unit/probes/injection.test.ts */,
  ])('refuses %j', (p) => {
    expect(() => parsePath(p)).toThrow(UserError);
  });
});
