// Block-style YAML for plain data (objects, arrays, strings, numbers, booleans, null): what k8snet
// prints as YAML (the suggested NetworkPolicy). Written here so printing needs no YAML library at
// start-up (issue 11: the library is 250 KiB of code to load and compile; parsing manifests still
// uses it). The layout is the `yaml` package's default (two-space indent, sequences indented under
// their key, no line folding), so the text is the same as before for ordinary names and labels.
// Strings are quoted whenever a plain scalar could read back as something else, under YAML 1.2
// and also YAML 1.1 (kubectl's parser reads `on`, `yes`, `0777`, `1:30` and dates as non-strings).

type Data = string | number | boolean | null | undefined | Data[] | { [k: string]: Data };

// Values a plain scalar would resolve to other than a string (YAML 1.2 core schema, plus YAML 1.1
// booleans, integers, floats, sexagesimals, timestamps, merge and value keys).
const NOT_A_STRING = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  /^[-+]?[0-9][0-9_]*$/, // decimal, 1.1 octal 0777, 1_000
  /^[-+]?0[bB][01_]+$/,
  /^[-+]?0[oO][0-7_]+$/,
  /^[-+]?0[xX][0-9a-fA-F_]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/, // 1.5, .5, 1., 1.5e3
  /^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, // 1e3
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // sexagesimal 1:30
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])/, // timestamps
  /^(?:<<|=)$/,
];

/** True when `s` can be written as a plain (unquoted) scalar in block context and reads back as `s`. */
export function isPlainSafe(s: string): boolean {
  if (s === '') return false;
  // printable ASCII and printable non-ASCII only: no controls, no line or paragraph separators
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/.test(s)) return false;
  if (s.startsWith(' ') || s.endsWith(' ')) return false;
  if (/^[,[\]{}#&*!|>'"%@`]/.test(s)) return false; // an indicator first
  if (/^[-?:]/.test(s) && (s.length === 1 || s[1] === ' ')) return false; // `-`, `?`, `:` first only before text (`::1/128`)
  if (s.startsWith('---') || s.startsWith('...')) return false; // document markers
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  return !NOT_A_STRING.some((re) => re.test(s));
}

/** A YAML double-quoted scalar: escapes quotes, backslashes and everything not printable. */
export function doubleQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029 || c === 0xfeff) out += `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s.slice(i, i + 2); // a well-formed pair: the character itself
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff)
      out += `\\u${c.toString(16)}`; // a lone surrogate
    else out += s[i];
  }
  return `${out}"`;
}

function scalar(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return String(v);
    return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  }
  return isPlainSafe(v) ? v : doubleQuoted(v);
}

const isMap = (v: Data): v is { [k: string]: Data } => typeof v === 'object' && v !== null && !Array.isArray(v);
const entriesOf = (m: { [k: string]: Data }) => Object.entries(m).filter(([, v]) => v !== undefined);

/** Lines of a collection at `indent` spaces; scalars and empty collections never get here. */
function block(v: Data[] | { [k: string]: Data }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  const inline = (x: Data): string | undefined => {
    if (Array.isArray(x)) return x.length === 0 ? '[]' : undefined;
    if (isMap(x)) return entriesOf(x).length === 0 ? '{}' : undefined;
    return scalar(x);
  };
  if (Array.isArray(v)) {
    for (const item of v) {
      const one = inline(item === undefined ? null : item);
      if (one !== undefined) {
        out.push(`${pad}- ${one}`);
        continue;
      }
      // a collection in a sequence starts on the dash's line
      const inner = block(item as Data[] | { [k: string]: Data }, indent + 2);
      out.push(`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1));
    }
    return out;
  }
  for (const [k, x] of entriesOf(v)) {
    const key = scalar(k);
    const one = inline(x);
    if (one !== undefined) out.push(`${pad}${key}: ${one}`);
    else out.push(`${pad}${key}:`, ...block(x as Data[] | { [k: string]: Data }, indent + 2));
  }
  return out;
}

/** One YAML document for `value`, ending in a newline. */
export function toYaml(value: unknown): string {
  const v = value as Data;
  if (Array.isArray(v) ? v.length === 0 : isMap(v) ? entriesOf(v).length === 0 : true) {
    return `${Array.isArray(v) ? '[]' : isMap(v) ? '{}' : scalar(v)}\n`;
  }
  return `${block(v as Data[] | { [k: string]: Data }, 0).join('\n')}\n`;
}
