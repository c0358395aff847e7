/**
 * Takes away, in a run's worker, everything through which a reader's program
 * could reach the network, the reader's stored data (the book's progress and
 * drafts in IndexedDB, the offline copy in CacheStorage) or, in Node, the
 * machine (files, processes). The entry files call `lockDown` once, after
 * weft has kept what it needs itself (the port's post function; the
 * indirect eval that loads the program, program-worker.ts) and before any
 * message, and so any program code, is handled.
 *
 * Deleting a global is not enough: a program can look further up the global
 * object's prototype chain (`Object.getPrototypeOf(globalThis)`), or build a
 * new one from code (`Function('return fetch')()`, `import('node:fs')`).
 * So each name is deleted from the global object and every prototype it
 * inherits from, then shadowed by a non-configurable `undefined`; and every
 * way to turn a string into code is closed: `eval`, the Function
 * constructors (reachable from any function's `.constructor`), string
 * timers. `import(…)` in the program itself is a compile error
 * (compile/module-syntax.ts), and with no eval nothing can write one later.
 */

import { countLargeAllocations } from './allocation-budget.ts';

/** What a program might use to reach the network or stored data, in a browser worker or in Node. */
export const FORBIDDEN_GLOBALS = [
  // network
  'fetch',
  'XMLHttpRequest',
  'XMLHttpRequestUpload',
  'XMLHttpRequestEventTarget',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
  // stored data
  'indexedDB',
  'IDBFactory',
  'caches',
  'CacheStorage',
  'Cache',
  'cookieStore',
  'CookieStore',
  'webkitRequestFileSystem',
  'webkitRequestFileSystemSync',
  'webkitResolveLocalFileSystemURL',
  'webkitResolveLocalFileSystemSyncURL',
  'FileSystemHandle',
  'FileSystemDirectoryHandle',
  'FileSystemFileHandle',
  'FileSystemSyncAccessHandle',
  'StorageManager',
  // other contexts that could do either for it
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'ServiceWorker',
  'ServiceWorkerContainer',
  'ServiceWorkerRegistration',
  'ShadowRealm',
  // A browser worker's own end: self.close() stopped the thread without a word to the page, and the run
  // waited for it until its time limit
  'close',
  // Node: a CommonJS require, should one be around
  'require',
  'module',
] as const;

/** navigator members that lead to stored data, devices or service workers. */
export const FORBIDDEN_NAVIGATOR = ['serviceWorker', 'storage', 'storageBuckets', 'locks', 'usb', 'serial', 'hid', 'bluetooth', 'sendBeacon'] as const;

/** Node's `process` members that load native code or builtin modules, start or signal processes, or read the environment. */
export const FORBIDDEN_PROCESS = [
  'getBuiltinModule',
  'binding',
  '_linkedBinding',
  'dlopen',
  'kill',
  '_kill',
  'execve',
  'chdir',
  'loadEnvFile',
  'openStdin',
  'setuid',
  'setgid',
  'seteuid',
  'setegid',
  'setgroups',
  'initgroups',
  '_debugProcess',
  '_debugEnd',
  'report',
  'permission',
  'mainModule',
  // Raw writes to the CLI's terminal, past the console ring: no line limit, no thread, and a Check's output
  // could be forged with them ("✓ … All checks passed!" printed among the grader's lines).
  'stdout',
  'stderr',
  'stdin',
  '_rawDebug',
] as const;

const NOT_AVAILABLE = 'is not available to a program in this book: it runs with no network, no storage and no files';

/** `fetch is not a function`, `globalThis.WebSocket is not a constructor`, `indexedDB is not defined`: the name. */
const MISSING = /^(?:(?:globalThis|self|window)\.)?([A-Za-z]+) is not (?:a function|a constructor|defined)\b/;

/**
 * A panic's message with a note when it is V8's TypeError on a global this
 * file took away: "fetch is not a function" left the reader to guess that
 * the book's programs have no network (the note says so, and why).
 */
export function noteRemovedGlobal<T extends { name: string; message: string }>(report: T): T {
  if (report.name !== 'TypeError' && report.name !== 'ReferenceError') return report;
  const name = MISSING.exec(report.message)?.[1];
  if (name === undefined || !(FORBIDDEN_GLOBALS as readonly string[]).includes(name)) return report;
  return { ...report, message: `${report.message} (${name} ${NOT_AVAILABLE})` };
}

/** Removes `name` from `target` and everything it inherits from, then pins it to `undefined`. */
function remove(target: object, name: string): void {
  for (let object: object | null = target; object !== null && object !== Object.prototype; object = Object.getPrototypeOf(object)) {
    try {
      if (Object.prototype.hasOwnProperty.call(object, name)) Reflect.deleteProperty(object, name);
    } catch {
      // A host object that refuses: the shadow below still hides it from property reads.
    }
  }
  try {
    Object.defineProperty(target, name, { value: undefined, writable: false, enumerable: false, configurable: false });
  } catch {
    // Non-configurable and still there (none is, in Chromium or Node): nothing more can be done from script.
  }
}

function blocked(what: string): (...args: unknown[]) => never {
  return function () {
    throw new EvalError(`${what} ${NOT_AVAILABLE} (code cannot be built from strings)`);
  };
}

/**
 * Every way to compile a string at run time: `eval`, `Function` and its
 * async and generator siblings (whose constructors are only reachable as
 * `.constructor` of a function's prototype), and string timers.
 */
function closeCodeFromStrings(global: Record<string, unknown>): void {
  const prototypes: [string, object][] = [
    ['Function', Function.prototype],
    ['AsyncFunction', Object.getPrototypeOf(async function () {}) as object],
    ['GeneratorFunction', Object.getPrototypeOf(function* () {}) as object],
    ['AsyncGeneratorFunction', Object.getPrototypeOf(async function* () {}) as object],
  ];
  for (const [name, prototype] of prototypes) {
    const stand_in = blocked(name);
    // `f instanceof Function` still holds for every function.
    Object.defineProperty(stand_in, 'prototype', { value: prototype, writable: false });
    Object.defineProperty(stand_in, 'name', { value: name });
    Object.defineProperty(prototype, 'constructor', { value: stand_in, writable: false, configurable: false });
    if (name === 'Function') Object.defineProperty(global, 'Function', { value: stand_in, writable: false, configurable: false });
  }
  Object.defineProperty(global, 'eval', { value: blocked('eval'), writable: false, configurable: false });
}

/** Timers, message ports and the like the program has pending (trackTimers, trackCallbacks), each with the function that ends it. */
const pending = new Map<unknown, (handle: unknown) => void>();
// Kept now: by the time these are used, a program may have replaced Map's methods to keep its timers alive.
const apply = Reflect.apply;
const { set: mapSet, delete: mapDelete, forEach: mapForEach, clear: mapClear } = Map.prototype;

/**
 * Wraps the ways to have a function called later (setTimeout and friends),
 * refusing strings (code from strings, above) and keeping each pending
 * handle, so `cancelPendingCallbacks` can cancel what a program left behind
 * when its run is over: a worker may serve the program's next run
 * (program-worker.ts), and a timer from this one must not fire in it.
 */
function trackTimers(global: Record<string, unknown>): void {
  const timers = [
    ['setTimeout', 'clearTimeout', true],
    ['setInterval', 'clearInterval', false],
    ['setImmediate', 'clearImmediate', true],
    ['requestAnimationFrame', 'cancelAnimationFrame', true],
  ] as const;
  for (const [name, cancelName, once] of timers) {
    const original = global[name] as ((handler: unknown, ...rest: unknown[]) => unknown) | undefined;
    const cancel = global[cancelName] as ((handle: unknown) => void) | undefined;
    if (typeof original !== 'function' || typeof cancel !== 'function') continue;
    const cancelIt = (handle: unknown) => apply(cancel, global, [handle]);
    const safe = function (this: unknown, handler: unknown, ...rest: unknown[]) {
      if (typeof handler !== 'function') throw new TypeError(`${name} with a string ${NOT_AVAILABLE} (code cannot be built from strings): pass a function`);
      let handle: unknown;
      const call = once
        ? function (this: unknown, ...args: unknown[]) {
            apply(mapDelete, pending, [handle]);
            return apply(handler, this, args);
          }
        : handler;
      handle = apply(original, this ?? global, [call, ...rest]);
      apply(mapSet, pending, [handle, cancelIt]);
      return handle;
    };
    const cancelSafe = function (handle: unknown) {
      apply(mapDelete, pending, [handle]);
      return cancelIt(handle);
    };
    Object.defineProperty(global, name, { value: safe, writable: true, configurable: true });
    Object.defineProperty(global, cancelName, { value: cancelSafe, writable: true, configurable: true });
  }
}

/** Which run of this worker the program's callbacks belong to: a wait that settles in a later one is not passed on. */
let epoch = 0;
const promiseThen = Promise.prototype.then;

/**
 * The other ways a program can be called back later, beside timers: a
 * MessageChannel's ports (closed when the run is over), and the waits that
 * settle a Promise (Atomics.waitAsync, scheduler.postTask and
 * scheduler.yield), whose settling is not passed on once the run is over.
 */
function trackCallbacks(global: Record<string, unknown>): void {
  const Channel = global.MessageChannel as (new () => { port1: object; port2: object }) | undefined;
  if (typeof Channel === 'function') {
    // Kept now, before any program runs: the ports' getters (browsers) and their close, which a program
    // could otherwise replace to keep a channel of one run open into the next.
    const getter = (name: 'port1' | 'port2') => Object.getOwnPropertyDescriptor(Channel.prototype, name)?.get;
    const getPort1 = getter('port1');
    const getPort2 = getter('port2');
    const probe = new Channel();
    const portClose = (Object.getPrototypeOf(probe.port1) as { close: () => void }).close;
    apply(portClose, probe.port1, []);
    apply(portClose, probe.port2, []);
    const close = (port: unknown) => apply(portClose, port, []);
    const portOf = (channel: object, name: 'port1' | 'port2', get: (() => unknown) | undefined) =>
      get !== undefined ? apply(get, channel, []) : (channel as Record<string, unknown>)[name];
    // A function, not a subclass of the original: `Object.getPrototypeOf(MessageChannel)` and a channel's
    // `.constructor` would otherwise hand a program the untracked constructor.
    const Tracked = function MessageChannel(this: unknown) {
      if (new.target === undefined) throw new TypeError("Failed to construct 'MessageChannel': Please use the 'new' operator.");
      const channel = Reflect.construct(Channel, [], new.target === Tracked ? Channel : new.target) as object;
      apply(mapSet, pending, [portOf(channel, 'port1', getPort1), close]);
      apply(mapSet, pending, [portOf(channel, 'port2', getPort2), close]);
      return channel;
    };
    Object.defineProperty(Tracked, 'prototype', { value: Channel.prototype, writable: false });
    Object.defineProperty(Channel.prototype, 'constructor', { value: Tracked, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(global, 'MessageChannel', { value: Tracked, writable: true, configurable: true });
  }
  /** `promise`, but left pending for good if it settles after this run is over. */
  const thisRunOnly = <T>(promise: Promise<T>): Promise<T> => {
    const mine = epoch;
    return new Promise<T>((resolve, reject) => {
      apply(promiseThen, promise, [(value: T) => epoch === mine && resolve(value), (error: unknown) => epoch === mine && reject(error)]);
    });
  };
  const atomics = global.Atomics as { waitAsync?: (...args: unknown[]) => { async: boolean; value: unknown } } | undefined;
  const waitAsync = atomics?.waitAsync;
  if (atomics && typeof waitAsync === 'function') {
    atomics.waitAsync = function (...args: unknown[]) {
      const result = apply(waitAsync, atomics, args);
      return result.async ? { async: true, value: thisRunOnly(result.value as Promise<unknown>) } : result;
    };
  }
  const scheduler = global.scheduler as Record<string, unknown> | undefined;
  for (const name of ['postTask', 'yield'] as const) {
    const original = scheduler?.[name];
    if (typeof original !== 'function') continue;
    scheduler![name] = function (...args: unknown[]) {
      if (name === 'postTask' && typeof args[0] === 'function') {
        const task = args[0] as (...a: unknown[]) => unknown;
        const mine = epoch;
        args[0] = function (this: unknown, ...a: unknown[]) {
          return epoch === mine ? apply(task, this, a) : undefined;
        };
      }
      return thisRunOnly(apply(original, scheduler, args) as Promise<unknown>);
    };
  }
}

/**
 * Ends what the program left pending when its run is over: every timer
 * (setTimeout, setInterval, setImmediate, requestAnimationFrame) is
 * cancelled, every MessageChannel it made is closed, and a wait it started
 * (Atomics.waitAsync, scheduler.postTask) calls nothing back any more.
 */
export function cancelPendingCallbacks(): void {
  epoch++;
  apply(mapForEach, pending, [(cancel: (handle: unknown) => void, handle: unknown) => cancel(handle)]);
  apply(mapClear, pending, []);
}

/**
 * The built-ins weft and the runner call while a program runs, made
 * read-only before it does: a program that replaces `Array.prototype.push`,
 * `Function.prototype.call` or `globalThis.Atomics`, or adds a `then` or a
 * `poll` to every object through `Object.prototype`, gets a TypeError at its
 * own line (strict mode), where it used to break weft's channels, locks and
 * executor in ways that named no line of the program (and, for `then`, the
 * runner's report of main's end). The same hardening as SES's `lockdown()`,
 * minus what would break everyday code:
 *   - `Object.prototype` and `Error.prototype` stay writable: freezing them
 *     makes `obj.toString = …` or an Error subclass's `this.name = …` throw
 *     (JavaScript's "override mistake"). `Object.prototype` takes no new
 *     properties; its own ones stay as they are.
 *   - `Math` and `console` stay as they are: a program may seed
 *     `Math.random` or capture `console.log` (weft kept its own of both).
 * Prototypes reached only through a value (generators, iterators, typed
 * arrays) are frozen through one such value.
 */
function hardenIntrinsics(global: Record<string, unknown>): void {
  const freeze = (value: unknown) => {
    if ((typeof value === 'object' || typeof value === 'function') && value !== null) Object.freeze(value);
  };
  const constructors = [
    'Array', 'Object', 'Function', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Promise', 'Symbol',
    'String', 'Number', 'Boolean', 'BigInt', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array',
    'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array',
    'BigInt64Array', 'BigUint64Array', 'TextEncoder', 'TextDecoder', 'Proxy',
  ];
  for (const name of constructors) {
    const constructor = global[name] as { prototype?: unknown } | undefined;
    if (typeof constructor !== 'function') continue;
    if (name !== 'Object') freeze(constructor.prototype);
    freeze(constructor);
  }
  for (const name of ['Reflect', 'JSON', 'Atomics', 'Iterator']) freeze(global[name]);
  const generator = Object.getPrototypeOf(function* () {}) as { prototype: object };
  const asyncGenerator = Object.getPrototypeOf(async function* () {}) as { prototype: object };
  for (const prototype of [
    generator,
    generator.prototype,
    asyncGenerator,
    asyncGenerator.prototype,
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(Int8Array), // %TypedArray%
    Object.getPrototypeOf(Int8Array.prototype), // %TypedArray.prototype%
    Object.getPrototypeOf([][Symbol.iterator]()), // %ArrayIteratorPrototype%
    Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), // %IteratorPrototype%
    Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    Object.getPrototypeOf(''[Symbol.iterator]()),
  ]) {
    freeze(prototype);
  }
  Object.preventExtensions(Object.prototype);
  // The global names themselves: `globalThis.Atomics = …` is refused as `Atomics.wait = …` is.
  for (const name of [...constructors, 'Reflect', 'JSON', 'Atomics', 'Math', 'Error', 'TypeError', 'RangeError', 'performance']) {
    const descriptor = Object.getOwnPropertyDescriptor(global, name);
    if (descriptor === undefined || !('value' in descriptor) || !descriptor.configurable) continue;
    Object.defineProperty(global, name, { value: descriptor.value, writable: false, enumerable: descriptor.enumerable ?? false, configurable: false });
  }
}

/**
 * What the global object and the objects on it held once locked down, to put back after each run: a worker may serve
 * the program's next run (worker-pool.ts), and there a global a run set (`globalThis.count = (globalThis.count ?? 0) + 1`)
 * or a Math.random it replaced carried over, so the same program printed something else on each run (a Rust
 * program starts in a fresh process each time).
 */
const kept: [object, Map<PropertyKey, PropertyDescriptor>][] = [];
const { ownKeys, getOwnPropertyDescriptor, defineProperty, deleteProperty } = Reflect;
const { get: keptGet, has: keptHas } = Map.prototype;

/** Keeps `target` as it is now, to be put back after every run (restoreGlobals); program-worker.ts keeps weft's exports so. */
export function keep(target: unknown): void {
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) return;
  const descriptors = new Map<PropertyKey, PropertyDescriptor>();
  for (const key of ownKeys(target)) descriptors.set(key, getOwnPropertyDescriptor(target, key)!);
  kept.push([target, descriptors]);
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
}

/** Puts the global object and the objects on it back as lockDown left them: what a run added is removed, what it replaced restored. */
export function restoreGlobals(): void {
  for (const [target, descriptors] of kept) {
    for (const key of ownKeys(target)) {
      const was = apply(keptGet, descriptors, [key]) as PropertyDescriptor | undefined;
      try {
        if (!apply(keptHas, descriptors, [key])) deleteProperty(target, key);
        else if (!sameDescriptor(getOwnPropertyDescriptor(target, key)!, was!)) defineProperty(target, key, was!);
      } catch {
        // Made non-configurable by the program: it stays as it is (what the run changed, lockDown had left changeable).
      }
    }
    for (const [key, was] of descriptors) {
      if (getOwnPropertyDescriptor(target, key) === undefined) {
        try {
          defineProperty(target, key, was);
        } catch {
          // The object was frozen by the program: nothing can be put back.
        }
      }
    }
  }
}

export function lockDown(): void {
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of FORBIDDEN_GLOBALS) remove(global, name);
  const navigator = global.navigator;
  if (typeof navigator === 'object' && navigator !== null) for (const name of FORBIDDEN_NAVIGATOR) remove(navigator, name);
  const process = global.process as Record<string, unknown> | undefined;
  if (typeof process === 'object' && process !== null) {
    for (const name of FORBIDDEN_PROCESS) remove(process, name);
    // The environment may hold secrets (tokens, keys); a program sees an empty one.
    try {
      Object.defineProperty(process, 'env', { value: Object.freeze({}), writable: false, configurable: false });
    } catch {
      remove(process, 'env');
    }
  }
  closeCodeFromStrings(global);
  countLargeAllocations(global);
  trackTimers(global);
  trackCallbacks(global);
  hardenIntrinsics(global);
  keep(global);
  // And what hangs off it that a program can still change (Date.prototype, Error, Intl, console, Math, …).
  for (const key of ownKeys(global)) {
    const value = getOwnPropertyDescriptor(global, key)?.value as unknown;
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || value === global || Object.isFrozen(value)) continue;
    keep(value);
    const prototype = (value as { prototype?: unknown }).prototype;
    if (typeof value === 'function' && typeof prototype === 'object' && prototype !== null && !Object.isFrozen(prototype)) keep(prototype);
  }
}
