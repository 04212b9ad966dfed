// The layers k8snet names and the catalogue entry shape (a code's layer and title); the leaf of model/.

/** The layers k8snet names. Order is the order an expert checks them in. */
export const LAYERS = ['source', 'service', 'pod-network', 'dns', 'policy', 'ingress', 'gateway', 'mesh'] as const;
export type Layer = (typeof LAYERS)[number];

export const LAYER_TITLES: Record<Layer, string> = {
  source: 'Source pod',
  service: 'Service',
  'pod-network': 'Pod network / CNI',
  dns: 'DNS',
  policy: 'NetworkPolicy',
  ingress: 'Ingress',
  gateway: 'Gateway API',
  mesh: 'Service mesh',
};

/** One catalogue entry: the layer a code belongs to and its title. */
export interface CodeInfo {
  layer: Layer;
  title: string;
}
