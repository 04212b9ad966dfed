// TLS listeners the route uses: each certificateRef Secret exists (metadata only, never its data),
// and a certificateRef into another namespace is admitted by a ReferenceGrant there (from Gateway).

import type { Facts } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import { GATEWAY_GROUP, type Gateway, type Listener } from '../../model/gateway-api.js';
import { admittingGrants, suggestGrant } from '../../gateway/reference-grant.js';
import { unreadableSentence } from '../lib/read.js';
import { gf } from './lib.js';

export function checkCertificates(facts: Facts, gateway: Gateway, used: Listener[]): Finding[] {
  const gw = facts.gateway!;
  const gwNs = gateway.metadata.namespace ?? 'default';
  const subject = { kind: 'Gateway', namespace: gwNs, name: gateway.metadata.name };
  const out: Finding[] = [];
  for (const l of used) {
    const refs = l.tls?.certificateRefs ?? [];
    const terminates = l.protocol === 'HTTPS' || (l.protocol === 'TLS' && (l.tls?.mode ?? 'Terminate') === 'Terminate');
    for (const c of refs) {
      if ((c.group ?? '') !== '' || (c.kind ?? 'Secret') !== 'Secret') continue;
      const ns = c.namespace ?? gwNs;
      const where = `listener ${l.name} (${l.protocol} ${l.port}) certificateRef ${ns}/${c.name}`;
      const s = gw.certificates.find((x) => x.namespace === ns && x.name === c.name);
      if (s && s.exists.state === 'ok' && !s.exists.value) {
        out.push(
          gf(
            'gateway/certificate-missing',
            terminates ? 'fail' : 'warn',
            `TLS certificate Secret ${ns}/${c.name} of Gateway ${gwNs}/${gateway.metadata.name} listener ${l.name} does not exist: the listener cannot terminate TLS`,
            [where],
            { subject, next: [`kubectl get secret -n ${ns} ${c.name} -o name`] },
          ),
        );
      } else if (s && s.exists.state !== 'ok') {
        out.push(
          gf(
            'gateway/unreadable',
            'unknown',
            unreadableSentence(s.exists, { verb: 'get', resource: 'secrets', namespace: ns, name: c.name }),
            [where, 'k8snet reads Secret metadata only; the secrets rule is opt-in (`k8snet rbac --tls-secrets`)'],
            { subject, forbidden: s.exists.state === 'forbidden' },
          ),
        );
      }
      if (ns !== gwNs) {
        const read = gw.referenceGrants[ns];
        const grants = read?.state === 'not-found' ? { state: 'ok' as const, value: [] } : read;
        const from = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gwNs };
        const to = { group: '', kind: 'Secret', name: c.name, namespace: ns };
        if (grants?.state === 'ok') {
          if (admittingGrants(grants.value, from, to).length === 0) {
            out.push(
              gf(
                'gateway/certificate-not-permitted',
                'fail',
                `Gateway ${gwNs}/${gateway.metadata.name} listener ${l.name} uses Secret ${ns}/${c.name} from another namespace, and no ReferenceGrant in ${ns} allows it`,
                [where, `ReferenceGrants in ${ns}: ${grants.value.map((g) => g.metadata.name).join(', ') || 'none'}`],
                { subject, data: { suggestion: suggestGrant(from, to) }, next: [`kubectl get referencegrants -n ${ns}`] },
              ),
            );
          }
        } else if (grants) {
          out.push(
            gf(
              'gateway/unreadable',
              'unknown',
              unreadableSentence(grants, { verb: 'list', resource: 'referencegrants.gateway.networking.k8s.io', namespace: ns }),
              [where],
              { subject, forbidden: grants.state === 'forbidden' },
            ),
          );
        }
      }
    }
  }
  return out;
}
