// --ephemeral: adds (or reuses) a debug container in the source pod when it has no shell. This is
// the one write k8snet may make, and only when the flag is given.

import type { Api } from '../cluster/api.js';
import type { Pod } from '../model/k8s.js';

export const DEFAULT_DEBUG_IMAGE = 'busybox:1.36';
const PREFIX = 'k8snet-debug';

export interface EphemeralResult {
  container: string;
  image: string;
  reused: boolean;
  error?: string;
}

/**
 * Reuse a *running* k8snet debug container with the same image if one exists (ephemeral containers
 * cannot be removed, so piling them up is a known pain: kubernetes/kubernetes#101609); else add a
 * new one and wait until it runs. One that terminated (its `sleep` ended) or never started cannot be
 * restarted - ephemeral containers are never restarted - so it is left alone and a new one added.
 * The wait ends at waitMs or at the run's deadline, whichever comes first.
 */
export async function ensureEphemeral(api: Api, pod: Pod, image: string, waitMs: number): Promise<EphemeralResult> {
  const running = (name: string, p: Pod) => !!p.status?.ephemeralContainerStatuses?.some((s) => s.name === name && s.state?.running);
  const reusable = (pod.spec.ephemeralContainers ?? []).find((c) => c.name.startsWith(PREFIX) && c.image === image && running(c.name, pod));
  if (reusable) return { container: reusable.name, image, reused: true };
  const taken = new Set((pod.spec.ephemeralContainers ?? []).map((c) => c.name));
  let name = `${PREFIX}-${Date.now().toString(36).slice(-5)}`;
  for (let i = 0; taken.has(name); i++) name = `${PREFIX}-${Date.now().toString(36).slice(-5)}${i}`;
  const ns = encodeURIComponent(pod.metadata.namespace!);
  const podPath = `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}`;
  try {
    await api.patchStrategic(`${podPath}/ephemeralcontainers`, {
      spec: {
        ephemeralContainers: [
          {
            name,
            image,
            command: ['sleep', '3600'],
            imagePullPolicy: 'IfNotPresent',
            stdin: false,
            tty: false,
            // restricted Pod Security compatible, so the pod's admission does not reject it
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
          },
        ],
      },
    });
  } catch (e) {
    return {
      container: name,
      image,
      reused: false,
      error: e instanceof Error ? `${e.message}${(e as { why?: string }).why ? ': ' + (e as { why?: string }).why : ''}` : String(e),
    };
  }
  const until = Math.min(Date.now() + waitMs, api.deadline);
  while (Date.now() < until) {
    const r = await api.read<Pod>(podPath, { timeoutMs: Math.max(1, Math.min(3000, until - Date.now())) });
    if (r.state === 'ok') {
      if (running(name, r.value)) return { container: name, image, reused: false };
      const st = r.value.status?.ephemeralContainerStatuses?.find((s) => s.name === name);
      const waiting = st?.state?.waiting;
      if (waiting && /ImagePull|ErrImage|InvalidImage/.test(waiting.reason ?? '')) {
        return { container: name, image, reused: false, error: `the debug container cannot start: ${waiting.reason}: ${waiting.message ?? ''}` };
      }
      if (st?.state?.terminated) {
        return { container: name, image, reused: false, error: `the debug container exited: ${st.state.terminated.reason ?? ''}` };
      }
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(500, until - Date.now()))));
  }
  const why = api.deadline <= until ? "before the run's --timeout" : `within ${waitMs} ms`;
  return { container: name, image, reused: false, error: `the debug container did not start ${why} (raise --timeout if its image is still being pulled)` };
}
