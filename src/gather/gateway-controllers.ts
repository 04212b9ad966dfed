// Known Gateway API controllers: GatewayClass.spec.controllerName -> product and the labels its
// controller pods carry (tried in order, cluster-wide).

import type { KnownController } from './ingress-controllers.js';

const KNOWN: { match: RegExp; info: KnownController }[] = [
  { match: /^traefik\.io\/gateway-controller$/, info: { product: 'traefik', selectors: ['app.kubernetes.io/name=traefik', 'app=traefik'] } },
  {
    match: /^gateway\.envoyproxy\.io\/gatewayclass-controller$/,
    info: { product: 'envoy-gateway', selectors: ['control-plane=envoy-gateway', 'app.kubernetes.io/name=gateway-helm'] },
  },
  { match: /^istio\.io\/gateway-controller$/, info: { product: 'istio', selectors: ['app=istiod', 'istio=pilot'] } },
  {
    match: /^gateway\.nginx\.org\/nginx-gateway-controller$/,
    info: { product: 'nginx-gateway-fabric', selectors: ['app.kubernetes.io/name=nginx-gateway-fabric', 'app.kubernetes.io/name=nginx-gateway'] },
  },
  { match: /^projectcontour\.io\/gateway-controller$/, info: { product: 'contour', selectors: ['app.kubernetes.io/name=contour', 'app=contour'] } },
  { match: /^konghq\.com\/kic-gateway-controller$/, info: { product: 'kong', selectors: ['app.kubernetes.io/name=kong', 'app=kong'] } },
  { match: /^io\.cilium\/gateway-controller$/, info: { product: 'cilium', selectors: ['k8s-app=cilium'] } },
  { match: /^haproxy-ingress\.github\.io\/controller$/, info: { product: 'haproxy-ingress', selectors: ['app.kubernetes.io/name=haproxy-ingress'] } },
  { match: /^gke\.io\/gateway$|^networking\.gke\.io\/gateway$/, info: { product: 'gke-gateway', selectors: [], external: true } },
  { match: /^application-networking\.k8s\.aws\/gateway-api-controller$/, info: { product: 'aws-gateway-api-controller', selectors: [], external: true } },
];

export function knownGatewayController(controllerName: string): KnownController {
  return KNOWN.find((k) => k.match.test(controllerName))?.info ?? { product: 'unknown', selectors: [] };
}

/** The label conformant implementations put on the pods of a Gateway's own data plane. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
