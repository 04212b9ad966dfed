// Loads the kubeconfig the way kubectl does (--kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster)
// and turns every way that can fail into one clear UserError/ClusterError.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, UserError } from '../errors.js';

export interface KubeConfigOptions {
  kubeconfig?: string;
  context?: string;
  /** -n/--namespace: overrides the context's namespace. */
  namespace?: string;
}

export interface LoadedConfig {
  kc: KubeConfig;
  /** Names only; never credentials. */
  context: { name?: string; cluster?: string; server?: string; user?: string; inCluster?: boolean };
  /** The namespace bare names resolve in. */
  namespace: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Load and validate the kubeconfig; never falls back to http://localhost:8080 silently. */
export async function loadKubeConfig(opts: KubeConfigOptions): Promise<LoadedConfig> {
  const { KubeConfig } = await import('./client-node.js');
  const kc = new KubeConfig();
  const files = configFiles(opts.kubeconfig);
  let inCluster = false;
  if (files.length > 0) {
    for (const [i, file] of files.entries()) {
      if (!fs.existsSync(file)) {
        if (opts.kubeconfig || process.env.KUBECONFIG) {
          throw new UserError({
            message: `kubeconfig file ${file} does not exist`,
            why: opts.kubeconfig ? 'it was given with --kubeconfig' : 'it is listed in $KUBECONFIG',
            next: 'check the path, or unset KUBECONFIG to use ~/.kube/config',
          });
        }
        continue;
      }
      try {
        if (i === 0) kc.loadFromFile(file);
        else {
          const other = new KubeConfig();
          other.loadFromFile(file);
          kc.mergeConfig(other);
        }
      } catch (e) {
        throw new UserError({
          message: `could not read kubeconfig ${file}`,
          why: `it does not parse: ${firstLine(e)}`,
          next: 'check the file with `kubectl config view --kubeconfig ' + file + '`',
          cause: e,
        });
      }
    }
  } else if (fs.existsSync(path.join(SA_DIR, 'token')) && process.env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
    inCluster = true;
  } else {
    throw new UserError({
      message: 'no kubeconfig found',
      why: 'neither --kubeconfig, $KUBECONFIG, ~/.kube/config nor an in-cluster service account is available',
      next: 'pass --kubeconfig FILE or set KUBECONFIG',
    });
  }

  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UserError({
        message: `context "${opts.context}" is not in the kubeconfig`,
        why: known.length ? `known contexts: ${known.join(', ')}` : 'the kubeconfig has no contexts',
        next: 'list them with `kubectl config get-contexts`',
      });
    }
    kc.setCurrentContext(opts.context);
  }
  const ctxName = kc.getCurrentContext();
  const ctx = ctxName ? kc.getContextObject(ctxName) : null;
  if (!inCluster && !ctx) {
    throw new UserError({
      message: 'the kubeconfig has no current context',
      why: ctxName ? `current-context "${ctxName}" is not defined` : 'current-context is not set',
      next: 'pass --context NAME or run `kubectl config use-context NAME`',
    });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster || !cluster.server) {
    throw new ClusterError({
      kind: 'config',
      message: `context "${ctxName}" names no cluster with a server address`,
      why: 'the kubeconfig is incomplete',
      next: 'check it with `kubectl config view --minify`',
    });
  }
  let namespace = opts.namespace || ctx?.namespace || 'default';
  if (inCluster && !opts.namespace) {
    try {
      namespace = fs.readFileSync(path.join(SA_DIR, 'namespace'), 'utf8').trim() || namespace;
    } catch {
      // the namespace file is optional; 'default' stands
    }
  }
  return {
    kc,
    namespace,
    context: { name: ctxName || undefined, cluster: cluster.name, server: cluster.server, user: kc.getCurrentUser()?.name, inCluster },
  };
}

function configFiles(explicit?: string): string[] {
  if (explicit) return [explicit];
  const env = process.env.KUBECONFIG;
  if (env) return env.split(path.delimiter).filter(Boolean);
  const home = path.join(os.homedir(), '.kube', 'config');
  return fs.existsSync(home) ? [home] : [];
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}
