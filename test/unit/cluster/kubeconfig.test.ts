// Every way a kubeconfig can be wrong gives one UserError, before any network traffic.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { ClusterError, UserError } from '../../../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-kc-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const GOOD = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: abc}
contexts:
- name: lab
  context: {cluster: lab, user: u, namespace: payments}
- name: other
  context: {cluster: lab, user: u}
current-context: lab
`;

let saved: string | undefined;
beforeEach(() => {
  saved = process.env.KUBECONFIG;
});
afterEach(() => {
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
});

describe('loadKubeConfig', () => {
  it('reads the context namespace, and -n overrides it', async () => {
    const f = file('good', GOOD);
    expect((await loadKubeConfig({ kubeconfig: f })).namespace).toBe('payments');
    expect((await loadKubeConfig({ kubeconfig: f, namespace: 'orders' })).namespace).toBe('orders');
    const other = await loadKubeConfig({ kubeconfig: f, context: 'other' });
    expect(other.namespace).toBe('default');
    expect(other.context).toMatchObject({ name: 'other', cluster: 'lab', user: 'u', server: 'https://127.0.0.1:6443' });
  });
  it('honours KUBECONFIG', async () => {
    process.env.KUBECONFIG = file('env', GOOD);
    expect((await loadKubeConfig({})).context.name).toBe('lab');
  });
  it.each([
    ['missing file', () => ({ kubeconfig: path.join(dir, 'nope') }), /does not exist/],
    ['not YAML', () => ({ kubeconfig: file('garbage', 'clusters: [ {name: x\n  :::: no') }), /could not read kubeconfig/],
    ['unknown context', () => ({ kubeconfig: file('good2', GOOD), context: 'prod' }), /context "prod" is not in the kubeconfig/],
    ['no current context', () => ({ kubeconfig: file('nocur', GOOD.replace('current-context: lab', 'current-context: ""')) }), /no current context/],
  ])('%s -> UserError', async (_n, opts, msg) => {
    const p = loadKubeConfig(opts());
    await expect(p).rejects.toBeInstanceOf(UserError);
    await expect(loadKubeConfig(opts())).rejects.toThrow(msg);
  });
  it('a cluster without a server address is refused with the reason', async () => {
    const f = file('noserver', GOOD.replace('server: "https://127.0.0.1:6443", ', ''));
    const err = await loadKubeConfig({ kubeconfig: f }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).why).toMatch(/server/i);
    expect(err).not.toBeInstanceOf(ClusterError);
  });
});
