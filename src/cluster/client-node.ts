// The one door to @kubernetes/client-node: only what k8snet uses (kubeconfig loading and auth),
// loaded lazily so that commands that never talk to a cluster never pay for it, and named
// exports so the bundler keeps only what these need (a dynamic import of the package itself
// would keep all of its generated API clients: 14 MB instead of 1.8 MB).

export { KubeConfig } from '@kubernetes/client-node';
