// Shape checks for the kinds the policy engine reads; returns messages naming the missing or bad field.

import { cidrContains, parseCidr } from '../policy/cidr.js';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// The NetworkPolicy rules below follow the API server's validation, field by field, so k8snet
// accepts exactly what `kubectl apply` would (read from k8s.io/kubernetes
// pkg/apis/networking/validation/validation.go and apimachinery's ValidateLabelSelector; the rules
// are restated here, not copied). JSON/YAML null is Go's nil: the same as an absent field.

const isNil = (v: unknown) => v === undefined || v === null;

/** apimachinery IsQualifiedName: optional DNS-1123 subdomain prefix "/", then a 1-63 char name. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** apimachinery IsValidLabelValue: empty, or 1-63 chars, alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function labelKeyProblem(k: string): string | null {
  const prefix = k.includes('/') ? k.slice(0, k.indexOf('/')) : '';
  if (!LABEL_KEY.test(k) || prefix.length > 253)
    return `"${k}" is not a valid label key (an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_", ".", alphanumeric at both ends)`;
  return null;
}

function labelValueProblem(v: unknown): string | null {
  if (typeof v !== 'string') return `must be a string (quote it: "${String(v)}")`;
  if (v.length > 63 || !LABEL_VALUE.test(v)) return `"${v}" is not a valid label value (at most 63 letters, digits, "-", "_", ".", alphanumeric at both ends)`;
  return null;
}

/** ValidateLabelSelector: matchLabels keys/values valid; In/NotIn need values, Exists/DoesNotExist none. */
function checkSelector(v: unknown, path: string, out: string[]): void {
  if (isNil(v)) return;
  if (!isObj(v)) {
    out.push(`${path} must be a mapping`);
    return;
  }
  if (!isNil(v.matchLabels)) {
    if (!isObj(v.matchLabels)) out.push(`${path}.matchLabels must be a mapping`);
    else {
      for (const [k, val] of Object.entries(v.matchLabels)) {
        const kp = labelKeyProblem(k);
        if (kp) out.push(`${path}.matchLabels: ${kp}`);
        const vp = labelValueProblem(val);
        if (vp) out.push(`${path}.matchLabels.${k}: ${vp}`);
      }
    }
  }
  if (!isNil(v.matchExpressions)) {
    if (!Array.isArray(v.matchExpressions)) {
      out.push(`${path}.matchExpressions must be a list`);
      return;
    }
    v.matchExpressions.forEach((e: unknown, i) => {
      const p = `${path}.matchExpressions[${i}]`;
      if (!isObj(e) || typeof e.key !== 'string') {
        out.push(`${p}.key: required`);
        return;
      }
      const kp = labelKeyProblem(e.key);
      if (kp) out.push(`${p}.key: ${kp}`);
      const values = isNil(e.values) ? [] : e.values;
      if (!Array.isArray(values)) {
        out.push(`${p}.values must be a list`);
        return;
      }
      switch (e.operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0) out.push(`${p}.values: must be specified (non-empty) when operator is ${e.operator}`);
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.length > 0) out.push(`${p}.values: may not be specified (must be empty) when operator is ${e.operator}`);
          break;
        default:
          out.push(`${p}.operator: "${String(e.operator)}" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
      }
      values.forEach((val: unknown, j) => {
        const vp = labelValueProblem(val);
        if (vp) out.push(`${p}.values[${j}]: ${vp}`);
      });
    });
  }
}

/** ValidateIPBlock: cidr required and valid; each except valid and a strict subset of cidr. */
function checkIpBlock(b: unknown, p: string, out: string[]): void {
  if (!isObj(b) || isNil(b.cidr) || b.cidr === '') {
    out.push(`${p}.cidr: required`);
    return;
  }
  if (typeof b.cidr !== 'string') {
    out.push(`${p}.cidr must be a string`);
    return;
  }
  const cidrText = b.cidr;
  const cidr = parseCidr(cidrText);
  if (!cidr) {
    out.push(`${p}.cidr: "${cidrText}" is not a valid CIDR`);
    return;
  }
  const except = isNil(b.except) ? [] : b.except;
  if (!Array.isArray(except)) {
    out.push(`${p}.except must be a list`);
    return;
  }
  except.forEach((e: unknown, i) => {
    const ec = typeof e === 'string' ? parseCidr(e) : null;
    if (!ec) {
      out.push(`${p}.except[${i}]: "${String(e)}" is not a valid CIDR`);
      return;
    }
    // contained in cidr and a longer prefix than it
    if (ec.version !== cidr.version || ec.bits <= cidr.bits || !cidrContains(cidr, { version: ec.version, value: ec.base }))
      out.push(`${p}.except[${i}]: ${String(e)} must be a strict subset of \`cidr\` ${cidrText}`);
  });
}

/** ValidateNetworkPolicyPeer: at least one of podSelector, namespaceSelector, ipBlock; ipBlock alone. */
function checkPeers(v: unknown, path: string, out: string[]): void {
  if (isNil(v)) return;
  if (!Array.isArray(v)) {
    out.push(`${path} must be a list`);
    return;
  }
  v.forEach((peer: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(peer)) {
      out.push(`${p} must be a mapping`);
      return;
    }
    const has = (k: string) => !isNil(peer[k]);
    checkSelector(peer.podSelector, `${p}.podSelector`, out);
    checkSelector(peer.namespaceSelector, `${p}.namespaceSelector`, out);
    if (has('ipBlock')) checkIpBlock(peer.ipBlock, `${p}.ipBlock`, out);
    const n = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(has).length;
    if (n === 0) out.push(`${p}: must specify a peer (podSelector, namespaceSelector or ipBlock)`);
    else if (n > 1 && has('ipBlock')) out.push(`${p}: may not specify both ipBlock and another peer`);
  });
}

/** IsValidPortNum: 1-65535. */
function portNumProblem(n: number): string | null {
  return n >= 1 && n <= 65535 ? null : 'must be between 1 and 65535, inclusive';
}

/** IsValidPortName (IANA_SVC_NAME): 1-15 chars of a-z, 0-9, "-"; a letter; no "-" at the ends or "--". */
function portNameProblem(s: string): string | null {
  if (s.length === 0 || s.length > 15) return 'a port name (IANA_SVC_NAME) must be 1 to 15 characters (at most 15)';
  if (!/^[-a-z0-9]+$/.test(s)) return 'a port name (IANA_SVC_NAME) may contain only lower-case letters, digits and "-"';
  if (!/[a-z]/.test(s)) return 'a port name (IANA_SVC_NAME) must contain at least one letter';
  if (s.startsWith('-') || s.endsWith('-') || s.includes('--')) return 'a port name (IANA_SVC_NAME) may not begin or end with "-" or contain "--"';
  return null;
}

/** ValidateNetworkPolicyPort, after IntOrString decoding (a whole number or a string). */
function checkPorts(v: unknown, path: string, out: string[]): void {
  if (isNil(v)) return;
  if (!Array.isArray(v)) {
    out.push(`${path} must be a list`);
    return;
  }
  v.forEach((pp: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(pp)) {
      out.push(`${p} must be a mapping`);
      return;
    }
    const proto = pp.protocol;
    if (!isNil(proto) && (typeof proto !== 'string' || !['TCP', 'UDP', 'SCTP'].includes(proto)))
      out.push(`${p}.protocol: "${typeof proto === 'string' ? proto : JSON.stringify(proto)}" is not supported (TCP, UDP, SCTP)`);
    const endPort = pp.endPort;
    if (!isNil(endPort) && (typeof endPort !== 'number' || !Number.isInteger(endPort))) {
      out.push(`${p}.endPort: ${JSON.stringify(endPort)} is not a whole number`);
      return;
    }
    if (isNil(pp.port)) {
      if (!isNil(endPort)) out.push(`${p}.endPort: may not be specified when \`port\` is not specified`);
      return;
    }
    if (typeof pp.port === 'number') {
      if (!Number.isInteger(pp.port)) {
        out.push(`${p}.port: ${pp.port} is not a whole number (a port is an integer or a name)`);
        return;
      }
      const np = portNumProblem(pp.port);
      if (np) out.push(`${p}.port: ${pp.port} ${np}`);
      if (typeof endPort === 'number') {
        if (endPort < pp.port) out.push(`${p}.endPort: ${endPort} must be greater than or equal to \`port\` (${pp.port})`);
        const ep = portNumProblem(endPort);
        if (ep) out.push(`${p}.endPort: ${endPort} ${ep}`);
      }
    } else if (typeof pp.port === 'string') {
      if (!isNil(endPort)) out.push(`${p}.endPort: may not be specified when \`port\` is non-numeric`);
      const nameP = portNameProblem(pp.port);
      if (nameP) out.push(`${p}.port: "${pp.port}": ${nameP}`);
    } else out.push(`${p}.port must be a number or a name`);
  });
}

/** Problems with a NetworkPolicy (ValidateNetworkPolicySpec); empty when the API server would accept it. */
export function validateNetworkPolicy(o: Obj): string[] {
  const out: string[] = [];
  if (!isObj(o.spec)) return ['spec missing'];
  checkSelector(o.spec.podSelector, 'spec.podSelector', out);
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = o.spec[dir];
    if (isNil(rules)) continue;
    if (!Array.isArray(rules)) {
      out.push(`spec.${dir} must be a list`);
      continue;
    }
    rules.forEach((r: unknown, i) => {
      if (isNil(r)) return;
      if (!isObj(r)) {
        out.push(`spec.${dir}[${i}] must be a mapping`);
        return;
      }
      checkPorts(r.ports, `spec.${dir}[${i}].ports`, out);
      checkPeers(dir === 'ingress' ? r.from : r.to, `spec.${dir}[${i}].${dir === 'ingress' ? 'from' : 'to'}`, out);
    });
  }
  // policyTypes: at most two, each Ingress or Egress
  const types = o.spec.policyTypes;
  if (!isNil(types)) {
    if (!Array.isArray(types)) out.push('spec.policyTypes must be a list');
    else if (types.length > 2) out.push('spec.policyTypes: may not specify more than two policyTypes');
    else
      types.forEach((t: unknown, i) => {
        if (t !== 'Ingress' && t !== 'Egress') out.push(`spec.policyTypes[${i}]: "${String(t)}" is not supported (Ingress, Egress)`);
      });
  }
  return out;
}

/**
 * The accepted policy with JSON/YAML nulls removed (nil is absent to the API server), so the
 * engine never meets a null where it expects a map or a list. Call after validateNetworkPolicy.
 */
export function dropNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(dropNulls) as T;
  if (!isObj(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, dropNulls(x)]),
  ) as T;
}

export function validatePodSpec(spec: unknown, path: string): string[] {
  if (!isObj(spec)) return [`${path} missing`];
  if (!Array.isArray(spec.containers)) return [`${path}.containers missing`];
  return [];
}
