// Credentials that need work before the first request: a kubeconfig `exec:` credential plugin
// (kubectl's client-go semantics: run the command, read an ExecCredential from stdout) runs here
// inside the run's deadline, in its own process group, killed when the deadline passes; and an
// http:// server (kubectl proxy) is used only without credentials, which would travel in clear.

import { spawn } from 'node:child_process';
import type { KubeConfig, User } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';

interface ExecConfig {
  command?: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
}

interface ExecCredential {
  status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
}

const MAX_OUTPUT = 1 << 20;

function commandLine(exec: ExecConfig): string {
  return [exec.command ?? '', ...(exec.args ?? [])].join(' ');
}

function pluginError(user: string, exec: ExecConfig, what: string, why: string, next: string, cause?: unknown): ClusterError {
  return new ClusterError({
    kind: 'config',
    message: `the kubeconfig's credential plugin for user "${user}" (\`${commandLine(exec)}\`) ${what}`,
    why,
    next,
    cause,
  });
}

/** Run an exec credential plugin within the deadline; resolve to its ExecCredential status. */
export function runCredentialPlugin(user: string, exec: ExecConfig, deadline: number): Promise<NonNullable<ExecCredential['status']>> {
  const left = deadline - Date.now();
  if (!exec.command) {
    return Promise.reject(pluginError(user, exec, 'has no command', 'users[].user.exec.command is empty', 'fix the user entry in the kubeconfig'));
  }
  if (left <= 0) {
    return Promise.reject(pluginError(user, exec, 'was not started', 'the run reached its --timeout first', 'raise --timeout'));
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of exec.env ?? []) env[e.name] = e.value;
  // client-go passes the request context; interactive prompts cannot work here (no terminal)
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    spec: { interactive: false },
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(exec.command!, exec.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the group is gone already; make sure the leader is too
      }
    };
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      killGroup();
      settle(() =>
        reject(
          pluginError(
            user,
            exec,
            "did not finish before the run's --timeout",
            `k8snet stopped it after ${left} ms, when the run's time was up; a plugin that waits for a browser login or a prompt never finishes without a terminal`,
            `run \`${commandLine(exec)}\` by hand to see what it waits for (log in first), or raise --timeout`,
          ),
        ),
      );
    }, left);
    child.stdout.setEncoding('utf8').on('data', (d: string) => void (stdout.length < MAX_OUTPUT && (stdout += d)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr.length < MAX_OUTPUT && (stderr += d)));
    child.on('error', (e: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          e.code === 'ENOENT'
            ? pluginError(
                user,
                exec,
                'was not found',
                `${exec.command}: command not found (ENOENT) on PATH`,
                'install the plugin the kubeconfig names, or fix users[].user.exec.command',
                e,
              )
            : pluginError(user, exec, 'could not be started', `${e.code ?? ''} ${e.message}`.trim(), 'check the plugin path and its permissions', e),
        ),
      ),
    );
    child.on('close', (code, signal) =>
      settle(() => {
        if (code !== 0) {
          const first = stderr.trim().split('\n').slice(0, 3).join(' / ') || '(no output on stderr)';
          reject(
            pluginError(
              user,
              exec,
              `failed (${code === null ? `signal ${signal}` : `exit ${code}`})`,
              first,
              `run \`${commandLine(exec)}\` by hand; log in again or fix the plugin's configuration`,
            ),
          );
          return;
        }
        let cred: ExecCredential;
        try {
          cred = JSON.parse(stdout) as ExecCredential;
        } catch (e) {
          reject(
            pluginError(
              user,
              exec,
              'printed no ExecCredential',
              `its stdout is not JSON: ${(e as Error).message}`,
              "check the plugin version against the kubeconfig's exec.apiVersion",
              e,
            ),
          );
          return;
        }
        const st = cred.status;
        if (!st || (!st.token && !(st.clientCertificateData && st.clientKeyData))) {
          reject(
            pluginError(
              user,
              exec,
              'returned no credential',
              'the ExecCredential has neither status.token nor a client certificate and key',
              "check the plugin's configuration (is the login complete?)",
            ),
          );
          return;
        }
        resolve(st);
      }),
    );
  });
}

/** Does this kubeconfig user carry anything that would be sent to the server? */
export function hasCredentials(u: User | null): boolean {
  if (!u) return false;
  const x = u as User & { certFile?: string; keyFile?: string };
  return !!(x.token || x.certData || x.certFile || x.keyData || x.keyFile || x.exec || x.authProvider || x.username || x.password);
}

/**
 * Before the first request: refuse credentials over http://, and replace an exec plugin user by
 * the static credential it returned (so client-node never spawns the plugin itself, unbounded).
 */
export async function prepareCredentials(kc: KubeConfig, deadline: number): Promise<void> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const user = kc.getCurrentUser();
  if (server.startsWith('http://')) {
    if (hasCredentials(user)) {
      throw new ClusterError({
        kind: 'config',
        message: `the kubeconfig's server ${server} is plain http, and user "${user?.name}" has credentials`,
        why: 'k8snet does not send tokens, certificates or passwords over plain http, where anyone on the path can read them',
        next: 'use the https:// address of the API server, or, behind `kubectl proxy`, a kubeconfig user without credentials (the proxy adds them)',
      });
    }
    return;
  }
  const exec = (user?.exec ?? (user?.authProvider as { config?: { exec?: unknown } } | undefined)?.config?.exec) as ExecConfig | undefined;
  if (!user || !exec) return;
  const st = await runCredentialPlugin(user.name, exec, deadline);
  const b64 = (s?: string) => (s ? Buffer.from(s).toString('base64') : undefined);
  const replaced: User = {
    ...user,
    exec: undefined,
    authProvider: undefined,
    token: st.token,
    certData: b64(st.clientCertificateData) ?? user.certData,
    keyData: b64(st.clientKeyData) ?? user.keyData,
  };
  kc.users = kc.users.map((u) => (u.name === user.name ? replaced : u));
}
