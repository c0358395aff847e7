/**
 * How console arguments become one line of output, the same in every
 * browser and in Node (their own consoles disagree). Containers print like
 * Rust's `{:?}`: `[1, 2, 3]`, strings inside them quoted: `["a", "b"]`.
 */
import { className } from '../../weft/runtime/context.ts';
import { DEBUG_STRUCT, DISPLAY_AS, type DebugStruct } from '../../weft/runtime/handle.ts';

export function formatArgs(args: unknown[]): string {
  const first = args[0];
  if (typeof first === 'string' && args.length > 1 && first.includes('%')) return substitute(first, args.slice(1));
  return args.map(plain).join(' ');
}

function plain(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  // An Arc of a string prints the string as it is, as Rust's `{}` of an `Arc<String>` does.
  if (typeof arg === 'object' && arg !== null && DISPLAY_AS in arg) return plain((arg as { [DISPLAY_AS]: unknown })[DISPLAY_AS]);
  return formatValue(arg, 0, new Set());
}

/**
 * The console's format specifiers, as browsers and Node apply them: `console.log("%d of %s", 3, "them")`
 * printed "%d of %s 3 them" (and console.timeEnd, which Node writes through console.log("%s: %s", …),
 * printed "%s: %s t 0.007ms"). %s %d %i %f %o %O %j %c (its CSS dropped) and %%; arguments left over
 * follow, separated by spaces, as without a format.
 */
function substitute(format: string, rest: unknown[]): string {
  let next = 0;
  const text = format.replace(/%[sdifoOjc%]/g, (spec) => {
    if (spec === '%%') return '%';
    if (next >= rest.length) return spec;
    const arg = rest[next++];
    switch (spec) {
      case '%s':
        return plain(arg);
      case '%d':
      case '%i': {
        if (typeof arg === 'bigint') return `${arg}n`;
        if (typeof arg === 'symbol' || (typeof arg === 'object' && arg !== null)) return 'NaN';
        const n = Number(arg);
        return String(spec === '%i' ? Math.trunc(n) : n);
      }
      case '%f':
        return typeof arg === 'symbol' ? 'NaN' : String(parseFloat(String(arg)));
      case '%c':
        return '';
      default:
        return formatValue(arg, 0, new Set());
    }
  });
  return [text, ...rest.slice(next).map(plain)].join(' ');
}

const MAX_DEPTH = 6;
const MAX_ITEMS = 100;

function formatValue(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || '(anonymous)'}]`;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) return '[Circular]';
  if (depth > MAX_DEPTH) return Array.isArray(object) ? '[Array]' : '[Object]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${items(object, depth, seen)}]`;
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
      const name = object.constructor.name;
      return `${name}(${(object as unknown as ArrayLike<unknown>).length}) [${items(Array.from(object as unknown as ArrayLike<unknown>), depth, seen)}]`;
    }
    if (object instanceof Map) {
      const entries = [...object].slice(0, MAX_ITEMS).map(([k, v]) => `${formatValue(k, depth + 1, seen)} => ${formatValue(v, depth + 1, seen)}`);
      return `Map(${object.size}) {${entries.length ? ` ${entries.join(', ')} ` : ''}}`;
    }
    if (object instanceof Set) return `Set(${object.size}) {${object.size ? ` ${items([...object], depth, seen)} ` : ''}}`;
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
    if (object instanceof RegExp) return String(object);
    if (object instanceof Error) return `${object.name}: ${object.message}`;
    if (object instanceof Promise) return 'Promise { … }';
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      if (DISPLAY_AS in object) return formatValue((object as { [DISPLAY_AS]: unknown })[DISPLAY_AS], depth, seen);
      if (DEBUG_STRUCT in object) return debugStruct((object as { [DEBUG_STRUCT](): DebugStruct })[DEBUG_STRUCT](), depth, seen);
      const own = (object as { toString?: () => string }).toString;
      if (typeof own === 'function' && own !== Object.prototype.toString) return own.call(object);
    }
    const keys = Object.keys(object);
    const name = proto !== null && proto !== Object.prototype ? className(proto) : undefined;
    const prefix = name ? `${name} ` : '';
    if (keys.length === 0) return `${prefix}{}`;
    const fields = keys
      .slice(0, MAX_ITEMS)
      .map((key) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${formatValue((object as Record<string, unknown>)[key], depth + 1, seen)}`);
    if (keys.length > MAX_ITEMS) fields.push(`… ${keys.length - MAX_ITEMS} more`);
    return `${prefix}{ ${fields.join(', ')} }`;
  } finally {
    seen.delete(object);
  }
}

/** Rust's derived-style Debug of a struct: `Mutex { data: 7, poisoned: false, .. }`. */
function debugStruct(d: DebugStruct, depth: number, seen: Set<object>): string {
  const fields = Object.entries(d.fields).map(([key, value]) => `${key}: ${formatValue(value, depth + 1, seen)}`);
  if (d.nonExhaustive) fields.push('..');
  return `${d.name} { ${fields.join(', ')} }`;
}

function items(list: unknown[], depth: number, seen: Set<object>): string {
  const shown = list.slice(0, MAX_ITEMS).map((item) => formatValue(item, depth + 1, seen));
  if (list.length > MAX_ITEMS) shown.push(`… ${list.length - MAX_ITEMS} more`);
  return shown.join(', ');
}
