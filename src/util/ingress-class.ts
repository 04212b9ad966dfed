// Which IngressClass an Ingress gets, in one place: gather (which controllers to read and probe
// through), sweep and the Ingress check all resolve it here.

import type { Ingress, IngressClass } from '../model/k8s.js';

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export interface ClassResolution {
  /** The class name asked for, and how. */
  name?: string;
  via: 'spec.ingressClassName' | 'annotation kubernetes.io/ingress.class' | 'default IngressClass' | 'none';
  /** The IngressClass of that name, when it exists. */
  cls?: IngressClass;
}

/** spec.ingressClassName wins, then the legacy annotation, then the class marked default. */
export function resolveClass(ing: Ingress, classes: IngressClass[]): ClassResolution {
  const byName = (n: string) => classes.find((c) => c.metadata.name === n);
  if (ing.spec.ingressClassName) {
    return { name: ing.spec.ingressClassName, via: 'spec.ingressClassName', cls: byName(ing.spec.ingressClassName) };
  }
  const legacy = ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy) return { name: legacy, via: 'annotation kubernetes.io/ingress.class', cls: byName(legacy) };
  const def = classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  return def ? { name: def.metadata.name, via: 'default IngressClass', cls: def } : { via: 'none' };
}
