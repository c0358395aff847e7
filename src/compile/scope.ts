/**
 * Which declaration each identifier refers to (a small scope analysis over
 * acorn's ESTree).
 *
 * Closure lifting needs it: a closure moved into a thread takes with it the
 * variables it uses from enclosing functions and blocks, and nothing else
 * (module-level names exist in every thread already; globals too). Written
 * here rather than taken from a library because the rules we need are few and
 * must match exactly how the program is evaluated: as strict code inside one
 * wrapper function (see wrap.ts).
 *
 * Rules (strict mode, as in an ES module):
 * - `var` and parameters belong to the nearest function (or the module);
 *   `let`, `const`, `using`, `class` and function declarations belong to the
 *   nearest block; `for (let/const …)` heads and `catch (e)` open their own scope.
 * - A function or class expression's own name is visible only inside it.
 * - Not references: non-computed property keys and member properties, labels,
 *   `new.target`/`import.meta`. Shorthand properties (`{ a }`) are references.
 * - `this`, `arguments`, `super`, `new.target` and `#private` names are not
 *   variables; they are reported separately with the function or class that
 *   gives them meaning, so lifting can refuse to move them.
 * Resolution happens after the whole program is declared, which is what
 * hoisting means; the temporal dead zone does not matter for lifting.
 */
import type {
  AnonymousClassDeclaration,
  AnonymousFunctionDeclaration,
  AnyNode,
  ArrowFunctionExpression,
  ClassDeclaration,
  ClassExpression,
  FunctionDeclaration,
  FunctionExpression,
  Identifier,
  Pattern,
  Program,
} from 'acorn';

type FunctionNode = FunctionDeclaration | AnonymousFunctionDeclaration | FunctionExpression | ArrowFunctionExpression;
export type ClassNode = ClassDeclaration | AnonymousClassDeclaration | ClassExpression;

export type ScopeKind = 'module' | 'function' | 'block' | 'class';

export interface Scope {
  kind: ScopeKind;
  /** The node that opens it: Program, a function, a block, a `for`, a catch clause, a class, a static block. */
  node: AnyNode;
  parent: Scope | null;
  bindings: Map<string, Binding>;
}

export type BindingKind =
  | 'var'
  | 'let'
  | 'const'
  | 'using'
  | 'function'
  | 'class'
  | 'param'
  | 'catch'
  | 'import'
  /** A function or class expression's name, seen from inside it. */
  | 'own-name';

export interface Binding {
  name: string;
  kind: BindingKind;
  scope: Scope;
  /** The identifier that declares it. */
  id: Identifier;
  /**
   * What the declaration binds, when the code says so directly: the function
   * or class itself, or a plain `x = init` declarator's initializer. Null for
   * destructured names, parameters, imports and `catch` parameters.
   */
  value: AnyNode | null;
}

export interface Reference {
  id: Identifier;
  /** The innermost scope at the reference. */
  scope: Scope;
  /** Null for a global (or a name declared nowhere). */
  binding: Binding | null;
}

export type ContextKind = 'this' | 'arguments' | 'super' | 'new.target' | 'private';

/** A use of something that belongs to a function or class rather than to a scope. */
export interface ContextReference {
  kind: ContextKind;
  node: AnyNode;
  /**
   * What gives it meaning: the nearest non-arrow function, class field or
   * static block (for `this`, `arguments`, `super`, `new.target`), or the
   * nearest class (for `#private`). Null at module level.
   */
  owner: AnyNode | null;
}

export interface ScopeAnalysis {
  moduleScope: Scope;
  bindings: Binding[];
  references: Reference[];
  contexts: ContextReference[];
  /** The reference an identifier node makes, if it is one. */
  referenceOf(id: Identifier): Reference | undefined;
}

interface Context {
  /** Owner of `this`, `arguments`, `super`, `new.target`. */
  functionOwner: AnyNode | null;
  /** Owner of `#private` names. */
  classOwner: AnyNode | null;
}

interface PendingReference {
  id: Identifier;
  scope: Scope;
  functionOwner: AnyNode | null;
}

const NOT_CHILDREN = new Set(['type', 'start', 'end', 'loc', 'range']);

export function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The child nodes of any ESTree node, in source order. */
export function childNodes(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (NOT_CHILDREN.has(key)) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

export function analyzeScopes(program: Program): ScopeAnalysis {
  const bindings: Binding[] = [];
  const pending: PendingReference[] = [];
  const contexts: ContextReference[] = [];
  const moduleScope = newScope('module', program, null);

  function newScope(kind: ScopeKind, node: AnyNode, parent: Scope | null): Scope {
    return { kind, node, parent, bindings: new Map() };
  }

  function varScope(scope: Scope): Scope {
    let current = scope;
    while (current.kind !== 'function' && current.kind !== 'module' && current.parent !== null) current = current.parent;
    return current;
  }

  function declare(scope: Scope, id: Identifier, kind: BindingKind, value: AnyNode | null): void {
    const existing = scope.bindings.get(id.name);
    // `var x` twice, or a parameter redeclared by `var`, is one variable; a
    // function expression's own name yields to any real declaration inside it.
    if (existing !== undefined && existing.kind !== 'own-name') return;
    const binding: Binding = { name: id.name, kind, scope, id, value };
    scope.bindings.set(id.name, binding);
    bindings.push(binding);
  }

  function declarePattern(pattern: Pattern, target: Scope, kind: BindingKind, value: AnyNode | null, scope: Scope, context: Context): void {
    switch (pattern.type) {
      case 'Identifier':
        declare(target, pattern, kind, value);
        return;
      case 'ObjectPattern':
        for (const property of pattern.properties) {
          if (property.type === 'RestElement') {
            declarePattern(property.argument, target, kind, null, scope, context);
          } else {
            if (property.computed) visit(property.key, scope, context);
            declarePattern(property.value, target, kind, null, scope, context);
          }
        }
        return;
      case 'ArrayPattern':
        for (const element of pattern.elements) if (element !== null) declarePattern(element, target, kind, null, scope, context);
        return;
      case 'RestElement':
        declarePattern(pattern.argument, target, kind, null, scope, context);
        return;
      case 'AssignmentPattern':
        declarePattern(pattern.left, target, kind, null, scope, context);
        visit(pattern.right, scope, context);
        return;
      case 'MemberExpression':
        // Only in assignment targets (`for (a.b of xs)`), which declare nothing.
        visit(pattern, scope, context);
        return;
    }
  }

  function visitFunction(fn: FunctionNode, scope: Scope, context: Context): void {
    const fnScope = newScope('function', fn, scope);
    if (fn.type === 'FunctionExpression' && fn.id) declare(fnScope, fn.id, 'own-name', fn);
    const inner: Context = fn.type === 'ArrowFunctionExpression' ? context : { ...context, functionOwner: fn };
    for (const param of fn.params) declarePattern(param, fnScope, 'param', null, fnScope, inner);
    if (fn.body.type === 'BlockStatement') {
      // The body's block is the function's scope: `function f(a) { let a }` is
      // a redeclaration, not a shadow.
      for (const statement of fn.body.body) visit(statement, fnScope, inner);
    } else {
      visit(fn.body, fnScope, inner);
    }
  }

  function visitClass(cls: ClassNode, scope: Scope, context: Context): void {
    if (cls.superClass) visit(cls.superClass, scope, context);
    const classScope = newScope('class', cls, scope);
    if (cls.id) declare(classScope, cls.id, 'own-name', cls);
    const inClass: Context = { ...context, classOwner: cls };
    for (const element of cls.body.body) {
      if (element.type === 'StaticBlock') {
        const blockScope = newScope('function', element, classScope);
        for (const statement of element.body) visit(statement, blockScope, { ...inClass, functionOwner: element });
        continue;
      }
      if (element.computed) visit(element.key, classScope, inClass);
      if (element.type === 'MethodDefinition') {
        visitFunction(element.value, classScope, inClass);
      } else if (element.value) {
        // A field initializer runs with `this` bound to the instance.
        visit(element.value, classScope, { ...inClass, functionOwner: element });
      }
    }
  }

  function visit(node: AnyNode, scope: Scope, context: Context): void {
    switch (node.type) {
      case 'Identifier':
        pending.push({ id: node, scope, functionOwner: context.functionOwner });
        return;
      case 'ThisExpression':
        contexts.push({ kind: 'this', node, owner: context.functionOwner });
        return;
      case 'Super':
        contexts.push({ kind: 'super', node, owner: context.functionOwner });
        return;
      case 'MetaProperty':
        if (node.meta.name === 'new') contexts.push({ kind: 'new.target', node, owner: context.functionOwner });
        return;
      case 'PrivateIdentifier':
        contexts.push({ kind: 'private', node, owner: context.classOwner });
        return;
      case 'Literal':
        return;

      case 'VariableDeclaration': {
        const kind: BindingKind = node.kind === 'var' ? 'var' : node.kind === 'let' ? 'let' : node.kind === 'const' ? 'const' : 'using';
        const target = kind === 'var' ? varScope(scope) : scope;
        for (const declarator of node.declarations) {
          const value = declarator.id.type === 'Identifier' ? (declarator.init ?? null) : null;
          declarePattern(declarator.id, target, kind, value, scope, context);
          if (declarator.init) visit(declarator.init, scope, context);
        }
        return;
      }
      case 'FunctionDeclaration':
        if (node.id) declare(scope, node.id, 'function', node);
        visitFunction(node, scope, context);
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        visitFunction(node, scope, context);
        return;
      case 'ClassDeclaration':
        if (node.id) declare(scope, node.id, 'class', node);
        visitClass(node, scope, context);
        return;
      case 'ClassExpression':
        visitClass(node, scope, context);
        return;

      case 'BlockStatement': {
        const blockScope = newScope('block', node, scope);
        for (const statement of node.body) visit(statement, blockScope, context);
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const headScope = newScope('block', node, scope);
        for (const child of childNodes(node)) visit(child, headScope, context);
        return;
      }
      case 'CatchClause': {
        const catchScope = newScope('block', node, scope);
        if (node.param) declarePattern(node.param, catchScope, 'catch', null, catchScope, context);
        visit(node.body, catchScope, context);
        return;
      }
      case 'SwitchStatement': {
        visit(node.discriminant, scope, context);
        const casesScope = newScope('block', node, scope);
        for (const switchCase of node.cases) visit(switchCase, casesScope, context);
        return;
      }

      case 'LabeledStatement':
        visit(node.body, scope, context);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
        return;
      case 'MemberExpression':
        visit(node.object, scope, context);
        if (node.computed || node.property.type === 'PrivateIdentifier') visit(node.property, scope, context);
        return;
      case 'Property':
        // Object literals and assignment patterns; a shorthand `{ a }` has its
        // own copy of the identifier as value, which is the reference.
        if (node.computed) visit(node.key, scope, context);
        visit(node.value, scope, context);
        return;

      case 'ImportDeclaration':
        for (const specifier of node.specifiers) declare(moduleScope, specifier.local, 'import', null);
        return;
      case 'ExportNamedDeclaration':
        if (node.declaration) visit(node.declaration, scope, context);
        else if (!node.source) for (const specifier of node.specifiers) visit(specifier.local, scope, context);
        return;
      case 'ExportDefaultDeclaration': {
        const declaration = node.declaration;
        if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') {
          if (declaration.id) declare(scope, declaration.id, declaration.type === 'FunctionDeclaration' ? 'function' : 'class', declaration);
          if (declaration.type === 'FunctionDeclaration') visitFunction(declaration, scope, context);
          else visitClass(declaration, scope, context);
        } else {
          visit(declaration, scope, context);
        }
        return;
      }
      case 'ExportAllDeclaration':
        return;

      default:
        for (const child of childNodes(node)) visit(child, scope, context);
    }
  }

  const moduleContext: Context = { functionOwner: null, classOwner: null };
  for (const statement of program.body) visit(statement, moduleScope, moduleContext);

  const references: Reference[] = [];
  const referenceByNode = new Map<Identifier, Reference>();
  for (const { id, scope, functionOwner } of pending) {
    let binding: Binding | null = null;
    for (let current: Scope | null = scope; current !== null && binding === null; current = current.parent) {
      binding = current.bindings.get(id.name) ?? null;
    }
    if (binding === null && id.name === 'arguments') {
      contexts.push({ kind: 'arguments', node: id, owner: functionOwner });
      continue;
    }
    const reference: Reference = { id, scope, binding };
    references.push(reference);
    referenceByNode.set(id, reference);
  }

  return {
    moduleScope,
    bindings,
    references,
    contexts,
    referenceOf: (id) => referenceByNode.get(id),
  };
}
