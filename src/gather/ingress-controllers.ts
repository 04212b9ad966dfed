// Known Ingress controllers: IngressClass.spec.controller -> product and the labels its pods carry.

export interface KnownController {
  product: string;
  /** Label selectors that find its pods (tried in order, cluster-wide). */
  selectors: string[];
  /** Managed outside the cluster: no controller pods are expected. */
  external?: boolean;
}

const KNOWN: { match: RegExp; info: KnownController }[] = [
  {
    match: /^k8s\.io\/ingress-nginx$/,
    info: {
      product: 'ingress-nginx',
      selectors: ['app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/component=controller', 'app.kubernetes.io/name=ingress-nginx'],
    },
  },
  {
    match: /^nginx\.org\/ingress-controller$/,
    info: { product: 'nginx-ingress (F5 NGINX)', selectors: ['app.kubernetes.io/name=nginx-ingress', 'app=nginx-ingress'] },
  },
  { match: /^traefik\.io\/ingress-controller$/, info: { product: 'traefik', selectors: ['app.kubernetes.io/name=traefik', 'app=traefik'] } },
  { match: /^ingress\.k8s\.aws\/alb$/, info: { product: 'aws-load-balancer-controller', selectors: ['app.kubernetes.io/name=aws-load-balancer-controller'] } },
  { match: /^haproxy-ingress\.github\.io\/controller$/, info: { product: 'haproxy-ingress', selectors: ['app.kubernetes.io/name=haproxy-ingress'] } },
  {
    match: /^haproxy\.org\/ingress-controller/,
    info: { product: 'haproxy-kubernetes-ingress', selectors: ['app.kubernetes.io/name=kubernetes-ingress', 'run=haproxy-ingress'] },
  },
  { match: /^projectcontour\.io\//, info: { product: 'contour', selectors: ['app.kubernetes.io/name=contour', 'app=contour'] } },
  { match: /^ingress-controllers\.konghq\.com\/kong$/, info: { product: 'kong', selectors: ['app.kubernetes.io/name=kong', 'app=kong'] } },
  { match: /^(k8s\.io\/)?ingress-gce$|^gce$/, info: { product: 'gke-ingress (GCE)', selectors: [], external: true } },
  {
    match: /^azure\/application-gateway$/,
    info: { product: 'azure-application-gateway', selectors: ['app=ingress-azure', 'app.kubernetes.io/name=ingress-azure'] },
  },
  { match: /^(istio\.io\/ingress-controller)$/, info: { product: 'istio-ingressgateway', selectors: ['istio=ingressgateway'] } },
];

export function knownController(controller: string): KnownController {
  return KNOWN.find((k) => k.match.test(controller))?.info ?? { product: 'unknown', selectors: [] };
}
