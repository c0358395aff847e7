/**
 * Step 3e: a weft/sync primitive made into a local variable that never lets
 * it go is dropped at the end of its block, as Rust drops a local there.
 *
 * A Mutex, an RwLock, a Condvar, a Barrier, a Once or an atomic is a record
 * in run memory (64 bytes for a Mutex), and JavaScript cannot say when a
 * handle becomes unreachable while the code that made it keeps running:
 * a FinalizationRegistry's callbacks, and the clearing of WeakRefs, wait for
 * the thread's job to end, and a reader's loop is one job (measured: 5
 * million registered objects dropped in a synchronous loop, 0 callbacks
 * before it ended). So `for (…) { const m = new Mutex(i); using g = m.lock(); … }`
 * kept every record, and stopped at the run memory's 1 GiB after ~16
 * million rounds, where Rust frees each Mutex at the end of its round.
 *
 * The compile step knows what Rust's borrow checker knows in this simple
 * case: a `const` or `let` declared in a block, made by `new` of one of
 * those types imported from weft/sync, whose every use in its own function
 * is a method call on it (`m.lock()`, `a.fetchAdd(1)`): it is never passed,
 * returned, stored, reassigned, cloned or captured by a closure (which may
 * move it into a thread, a task, a scope or a par closure, or outlive the
 * block). Then the rest of the block goes into a `try` whose `finally`
 * calls `__weft.dropLocal(m)` (runtime/ownership.ts), on the declaration's
 * line and the block's last, so lines and columns still map. using-unwind.ts
 * writes these `try`s with its own, nested in the order of declaration, so
 * the block's resources are let go in reverse order, as Rust drops them:
 *
 *   { const m = new Mutex(i); using g = m.lock(); total += g.value; }
 *     ->  { const m = new Mutex(i);try { … } finally { __weft.dropLocal(m); } }
 *
 * At run time the handle frees its record only if nothing else can reach it
 * (runtime/handle.ts freeLocal): not if it was ever encoded, nor while a
 * guard that left the block still holds the lock; then the record stays, as
 * every record did before. A released guard never reads its record again,
 * and the spent handle refuses use, so a record is never read once freed.
 *
 * A channel's ends are dropped the same way, for what Rust's drop means to
 * them: `const [tx, rx] = mpsc.channel()` (or `mpsc.syncChannel(n)`, or a
 * `const t = tx.clone()` of such an end) in a block that only sends,
 * receives, clones or loops over it (`for (const v of rx)`) drops each end
 * at the block's end, so a function that spawns producers with clones and
 * returns its Receiver closes the channel when it returns, as in Rust, where
 * the Receiver's loop would otherwise wait forever for the Sender the
 * function still held. An end that is moved into a thread, passed, stored
 * or returned is not touched; one already dropped or moved is left alone.
 *
 * And an Arc: `const m = new Arc(…)` (or `const c = m.clone()` of such an
 * Arc) whose every use is a method call on it, its own `clone()` included
 * (`m.lock()`, `m.clone()` for a thread to take), a read of a member of its
 * value (`m.x`, `m[i]`), or Arc's `strongCount`, `weakCount`, `ptrEq` or
 * `downgrade` of it, which borrow it, is dropped at the block's end: its count goes down, and the last Arc drops the value.
 * `for (…) { const m = new Arc(new Mutex(i)); using g = m.lock(); … }` kept
 * every round's Arc in its thread's list of what it owns, and stopped at the
 * thread's 512 MB after ~1.5 million rounds. (The Mutex inside still keeps
 * its 64-byte record when the last Arc drops it: a handle decoded from the
 * Arc's value may still be reachable in some thread, where Rust's borrows
 * say none is. So that loop now reaches the run memory's 1 GiB after ~16
 * million rounds, as a Mutex made each round did before step 3e.)
 */
import type { AnyNode, Identifier, Program, VariableDeclaration } from 'acorn';
import { childNodes, type Binding, type Reference, type ScopeAnalysis } from './scope.ts';
import type { LocalDrops } from './using-unwind.ts';

/** weft/sync's types whose records are freed this way, by the names weft/sync exports them under. */
const FREED = new Set([
  'Mutex',
  'RwLock',
  'Condvar',
  'Barrier',
  'Once',
  'AtomicBool',
  'AtomicI8',
  'AtomicI16',
  'AtomicI32',
  'AtomicI64',
  'AtomicIsize',
  'AtomicU8',
  'AtomicU16',
  'AtomicU32',
  'AtomicU64',
  'AtomicUsize',
]);

/** Arc's static functions that borrow the Arc given them (`Arc.strongCount(m)`), rather than take it. */
const ARC_BORROWS = new Set(['strongCount', 'weakCount', 'ptrEq', 'downgrade']);

/** A channel end's methods that cannot let it go (`iter()` can: its iterator may outlive the block, unless a `for … of` takes it). */
const CHANNEL_METHODS = new Set(['send', 'trySend', 'recv', 'tryRecv', 'recvTimeout', 'clone', 'drop', 'toString']);
/** weft/sync's `mpsc` functions that make a channel: `const [tx, rx] = mpsc.channel()`. */
const CHANNEL_MAKERS = new Set(['channel', 'syncChannel']);

const FUNCTION_LIKE = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ClassBody']);

/** For using-unwind.ts: which statement of a block declares such a local, and its name. */
export function findLocalDrops(program: Program, analysis: ScopeAnalysis): LocalDrops | undefined {
  // The program's local names for those types (`import { Mutex as M } from "weft/sync"` included).
  const imported = new Set<string>();
  // And for `mpsc` (`import { mpsc as m } from "weft/sync"` included), and for Arc.
  const mpscNames = new Set<string>();
  const arcNames = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || statement.source.value !== 'weft/sync') continue;
    for (const spec of statement.specifiers) {
      if (spec.type !== 'ImportSpecifier') continue;
      const name = spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
      if (FREED.has(name)) imported.add(spec.local.name);
      if (name === 'mpsc') mpscNames.add(spec.local.name);
      if (name === 'Arc') arcNames.add(spec.local.name);
    }
  }
  if (imported.size === 0 && mpscNames.size === 0 && arcNames.size === 0) return undefined;

  const parents = new Map<AnyNode, AnyNode>();
  const walk = (node: AnyNode): void => {
    for (const child of childNodes(node)) {
      parents.set(child, node);
      walk(child);
    }
  };
  walk(program);
  const referenceAt = new Map<AnyNode, Reference>();
  const usesOf = new Map<Binding, Reference[]>();
  for (const ref of analysis.references) {
    referenceAt.set(ref.id, ref);
    if (ref.binding === null) continue;
    const uses = usesOf.get(ref.binding);
    if (uses === undefined) usesOf.set(ref.binding, [ref]);
    else uses.push(ref);
  }
  const bindingOf = new Map<AnyNode, Binding>(analysis.bindings.map((b) => [b.id, b]));

  /** The module's own import (not a local of the same name) of one of `names`. */
  const isImport = (node: AnyNode, names: Set<string>): boolean => {
    if (node.type !== 'Identifier') return false;
    const binding = referenceAt.get(node)?.binding;
    return binding !== undefined && binding !== null && binding.kind === 'import' && binding.scope === analysis.moduleScope && names.has(binding.name);
  };

  /** `new X(…)` with X one of weft/sync's types, by the module's own import (not a local of the same name). */
  const makesPrimitive = (init: AnyNode | null | undefined): boolean => init?.type === 'NewExpression' && isImport(init.callee, imported);

  /** `mpsc.channel(…)` or `mpsc.syncChannel(…)`, by the module's own import of weft/sync's mpsc. */
  const makesChannel = (init: AnyNode | null | undefined): boolean => {
    if (init?.type !== 'CallExpression' || init.callee.type !== 'MemberExpression' || init.callee.computed) return false;
    const { object, property } = init.callee;
    return property.type === 'Identifier' && CHANNEL_MAKERS.has(property.name) && isImport(object, mpscNames);
  };

  /** `x.clone()` of a binding `x` in `of` (declared before it: the sets are filled in source order, below). */
  const clonesOneOf = (init: AnyNode | null | undefined, of: Set<Binding>): boolean => {
    if (init?.type !== 'CallExpression' || init.arguments.length !== 0 || init.callee.type !== 'MemberExpression' || init.callee.computed) return false;
    const { object, property } = init.callee;
    if (object.type !== 'Identifier' || property.type !== 'Identifier' || property.name !== 'clone') return false;
    const binding = referenceAt.get(object)?.binding;
    return binding !== undefined && binding !== null && of.has(binding);
  };

  /** Whether `use` is in the block's own function, not in a closure (which may move it into a thread, or outlive the block). */
  const inBlocksFunction = (use: AnyNode, block: AnyNode): boolean => {
    for (let at: AnyNode | undefined = use; at !== undefined && at !== block; at = parents.get(at)) {
      if (FUNCTION_LIKE.has(at.type)) return false;
    }
    return true;
  };

  /** Bindings that hold an Arc made in their declaration: `new Arc(…)`, or a `clone()` of such a binding. */
  const arcs = new Set<Binding>();
  const makesArc = (init: AnyNode | null | undefined): boolean =>
    init?.type === 'NewExpression' ? isImport(init.callee, arcNames) : clonesOneOf(init, arcs);
  if (arcNames.size > 0) {
    const declarators = (node: AnyNode): void => {
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && makesArc(node.init)) {
        const binding = bindingOf.get(node.id);
        if (binding !== undefined) arcs.add(binding);
      }
      for (const child of childNodes(node)) declarators(child);
    };
    declarators(program);
  }

  /**
   * A use that cannot let an Arc go, in the block's own function: `m.method(…)` (its `clone()` too), a read of its
   * value's member (`m.x`, `m[i]`: a borrow in Rust), or `Arc.strongCount(m)` and the like.
   */
  const keepsArc = (ref: Reference, block: AnyNode): boolean => {
    const parent = parents.get(ref.id);
    let use: AnyNode;
    if (parent?.type === 'MemberExpression' && parent.object === ref.id) {
      const outer = parents.get(parent);
      // Assigning through an Arc throws its read-only error: left alone, as the rare case it is.
      if (outer?.type === 'AssignmentExpression' && outer.left === parent) return false;
      if (outer?.type === 'UpdateExpression' || (outer?.type === 'UnaryExpression' && outer.operator === 'delete')) return false;
      use = outer?.type === 'CallExpression' && outer.callee === parent ? outer : parent;
    } else if (parent?.type === 'CallExpression' && parent.callee !== ref.id && parent.callee.type === 'MemberExpression' && !parent.callee.computed) {
      const { object, property } = parent.callee;
      if (!isImport(object, arcNames) || property.type !== 'Identifier' || !ARC_BORROWS.has(property.name)) return false;
      use = parent;
    } else return false;
    return inBlocksFunction(use, block);
  };

  /** Bindings that hold a channel end made in their declaration (the ends of `mpsc.channel()`, and clones of such an end). */
  const channelEnds = new Set<Binding>();

  /** The channel ends a declarator declares: `[tx, rx] = mpsc.channel()`, `t = tx.clone()`. */
  const endsDeclared = (id: AnyNode, init: AnyNode | null | undefined): Identifier[] => {
    if (id.type === 'ArrayPattern' && makesChannel(init)) return id.elements.filter((e): e is Identifier => e?.type === 'Identifier');
    if (id.type === 'Identifier' && clonesOneOf(init, channelEnds)) return [id];
    return [];
  };
  if (mpscNames.size > 0) {
    const declarators = (node: AnyNode): void => {
      if (node.type === 'VariableDeclarator') {
        for (const name of endsDeclared(node.id, node.init)) {
          const binding = bindingOf.get(name);
          if (binding !== undefined) channelEnds.add(binding);
        }
      }
      for (const child of childNodes(node)) declarators(child);
    };
    declarators(program);
  }

  /** A use of a channel end that cannot let it go: a method above, or `for (const v of end)`, in the block's own function. */
  const keepsEnd = (ref: Reference, block: AnyNode): boolean => {
    let use: AnyNode = ref.id;
    const member = parents.get(ref.id);
    if (member?.type === 'MemberExpression' && member.object === ref.id && !member.computed && member.property.type === 'Identifier') {
      const call = parents.get(member);
      if (call?.type !== 'CallExpression' || call.callee !== member) return false;
      const method = member.property.name;
      const loop = parents.get(call);
      if (!CHANNEL_METHODS.has(method) && !(method === 'iter' && loop?.type === 'ForOfStatement' && loop.right === call)) return false;
      use = call;
    } else {
      const loop = parents.get(ref.id);
      if (loop?.type !== 'ForOfStatement' || loop.right !== ref.id) return false;
    }
    return inBlocksFunction(use, block);
  };

  /** A use that cannot let the handle go: `name.method(…)`, in the block's own function. */
  const keepsIt = (ref: Reference, block: AnyNode): boolean => {
    const member = parents.get(ref.id);
    if (member?.type !== 'MemberExpression' || member.object !== ref.id || member.computed) return false;
    if (member.property.type !== 'Identifier' || member.property.name === 'clone') return false;
    const call = parents.get(member);
    if (call?.type !== 'CallExpression' || call.callee !== member) return false;
    return inBlocksFunction(call, block);
  };

  const dropped = (statement: AnyNode, block: AnyNode): string[] | undefined => {
    if (statement.type !== 'VariableDeclaration') return undefined;
    const declaration = statement as VariableDeclaration;
    if ((declaration.kind !== 'const' && declaration.kind !== 'let') || declaration.declarations.length !== 1) return undefined;
    const [declarator] = declaration.declarations;
    const { id, init } = declarator!;
    if (id.type === 'Identifier' && makesPrimitive(init)) {
      const binding = bindingOf.get(id);
      if (binding === undefined) return undefined;
      const uses = usesOf.get(binding) ?? [];
      return uses.every((ref) => keepsIt(ref, block)) ? [binding.name] : undefined;
    }
    if (id.type === 'Identifier' && arcNames.size > 0) {
      const binding = bindingOf.get(id);
      if (binding !== undefined && arcs.has(binding)) {
        return (usesOf.get(binding) ?? []).every((ref) => keepsArc(ref, block)) ? [binding.name] : undefined;
      }
    }
    // A channel's ends: `[tx, rx] = mpsc.channel()` or `t = tx.clone()`. Dropped in reverse order, as Rust drops a pattern's bindings.
    const ends: string[] = [];
    for (const name of endsDeclared(id, init)) {
      const binding = bindingOf.get(name);
      if (binding !== undefined && (usesOf.get(binding) ?? []).every((ref) => keepsEnd(ref, block))) ends.unshift(binding.name);
    }
    return ends.length > 0 ? ends : undefined;
  };

  return dropped;
}
