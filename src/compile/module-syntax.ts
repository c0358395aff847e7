/**
 * Step 3a: `import` and `export` -> plain statements.
 *
 * The compiled program is a script (a function evaluated with indirect eval),
 * not a module: that is what lets the runner evaluate it again in every
 * thread's worker with weft handed in, and keeps blob-URL module loading out
 * of the browser path. So imports become destructuring of `__weft.import(…)`
 * and exports are collected and returned by the wrapper (see wrap.ts).
 *
 * Every edit keeps the line structure (a multi-line import stays on its
 * lines), so line N of the output is still line N of the reader's source.
 */
import type { AnyNode, ImportDeclaration, Program } from 'acorn';
import type MagicString from 'magic-string';
import type { Locate } from './closures.ts';
import { CompileError } from './errors.ts';
import { childNodes } from './scope.ts';
import { isWeftModule, WEFT_MODULES } from './weft-modules.ts';

/** The name `export default <expression>` is bound to, so the wrapper can return it. */
export const DEFAULT_EXPORT_LOCAL = '__weft_default';

export interface ExportedName {
  /** The name other code sees (`default` for the default export). */
  exported: string;
  /** The top-level binding that holds it. */
  local: string;
}

/** `text` instead of [start, end), plus the line breaks that were there, so later lines do not move. */
function replaceKeepingLines(s: MagicString, code: string, start: number, end: number, text: string): void {
  const lineBreaks = code.slice(start, end).split('\n').length - 1;
  s.overwrite(start, end, text + '\n'.repeat(lineBreaks));
}

function patternNames(node: AnyNode, names: string[]): string[] {
  switch (node.type) {
    case 'Identifier':
      names.push(node.name);
      break;
    case 'ObjectPattern':
      for (const property of node.properties) patternNames(property.type === 'RestElement' ? property.argument : property.value, names);
      break;
    case 'ArrayPattern':
      for (const element of node.elements) if (element !== null) patternNames(element, names);
      break;
    case 'RestElement':
      patternNames(node.argument, names);
      break;
    case 'AssignmentPattern':
      patternNames(node.left, names);
      break;
  }
  return names;
}

export function rewriteModuleSyntax(program: Program, s: MagicString, code: string, locate: Locate): ExportedName[] {
  const fail = (node: AnyNode, message: string): never => {
    const { line, column } = locate(node);
    throw new CompileError(message, line, column);
  };
  rejectDynamicModuleSyntax(program, fail);

  const exported: ExportedName[] = [];
  const referenced = namesReferenced(program);
  for (const statement of program.body) {
    switch (statement.type) {
      case 'ImportDeclaration':
        rewriteImport(statement, s, code, fail, referenced);
        break;
      case 'ExportNamedDeclaration': {
        if (statement.source) fail(statement.source, 're-exporting from another module is not available here; import the names and export your own');
        if (statement.declaration) {
          s.remove(statement.start, statement.declaration.start); // `export `
          const declaration = statement.declaration;
          const names =
            declaration.type === 'VariableDeclaration'
              ? declaration.declarations.flatMap((d) => patternNames(d.id, []))
              : [declaration.id.name];
          for (const name of names) exported.push({ exported: name, local: name });
        } else {
          for (const specifier of statement.specifiers) {
            const name = (node: AnyNode) => (node.type === 'Identifier' ? node.name : String((node as { value: unknown }).value));
            exported.push({ exported: name(specifier.exported), local: name(specifier.local) });
          }
          replaceKeepingLines(s, code, statement.start, statement.end, '');
        }
        break;
      }
      case 'ExportDefaultDeclaration': {
        const declaration = statement.declaration;
        const named = (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id;
        if (named) {
          s.remove(statement.start, declaration.start); // `export default `
          exported.push({ exported: 'default', local: declaration.id!.name });
        } else {
          replaceKeepingLines(s, code, statement.start, declaration.start, `const ${DEFAULT_EXPORT_LOCAL} = `);
          // A declaration needed no `;`, an expression statement does: `[1].map(…)` on the next line must not become a call.
          if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') s.appendLeft(declaration.end, ';');
          exported.push({ exported: 'default', local: DEFAULT_EXPORT_LOCAL });
        }
        break;
      }
      case 'ExportAllDeclaration':
        fail(statement.source, 're-exporting from another module is not available here; import the names and export your own');
    }
  }
  return exported;
}

/**
 * `import { spawn, builder as b } from "weft/thread"` -> `const { spawn, builder: b } = __weft.import("weft/thread");`
 * `import * as thread from "weft/thread"`            -> `const thread = __weft.import("weft/thread");`
 * `import "weft/thread"`                             -> `__weft.import("weft/thread");`
 */
function rewriteImport(node: ImportDeclaration, s: MagicString, code: string, fail: (node: AnyNode, message: string) => never, referenced: ReadonlySet<string>): void {
  const specifier = String(node.source.value);
  if (specifier === 'weft') {
    fail(node.source, `'weft' itself exports nothing: import from one of its four modules, ${WEFT_MODULES.map((m) => `'${m}'`).join(', ')} (for example, import { spawn } from 'weft/thread')`);
  }
  if (!isWeftModule(specifier)) fail(node.source, `only weft modules can be imported here: '${specifier}' is not available`);
  if (node.attributes.length > 0) fail(node.attributes[0]!, 'import attributes (`with { … }`) are not available here');
  const load = `__weft.import(${JSON.stringify(specifier)})`;

  const first = node.specifiers[0];
  if (first === undefined) {
    replaceKeepingLines(s, code, node.start, node.source.start, '');
  } else if (first.type === 'ImportNamespaceSpecifier') {
    replaceKeepingLines(s, code, node.start, node.source.start, `const ${first.local.name} = `);
  } else {
    for (const each of node.specifiers) {
      if (each.type === 'ImportDefaultSpecifier') {
        fail(each, `\`${each.local.name}\` is a default import, but weft modules have only named exports: write import { … } from '${specifier}'`);
      }
      if (each.type === 'ImportNamespaceSpecifier') continue; // only after a default import, which failed above
      if (!referenced.has(each.local.name)) {
        // A name the code never uses as a value (`import { Future }` for `implements Future<T>`: its types are gone
        // by now) is not read from the module, which has no such export at run time; TypeScript elides it too.
        const comma = /^\s*,/.exec(code.slice(each.end));
        s.remove(each.start, comma === null ? each.end : each.end + comma[0].length);
        continue;
      }
      const imported = each.imported.type === 'Identifier' ? each.imported.name : JSON.stringify(each.imported.value);
      if (imported !== each.local.name) s.overwrite(each.start, each.end, `${imported}: ${each.local.name}`);
    }
    s.overwrite(node.start, node.start + 'import'.length, 'const');
    const closingBrace = code.lastIndexOf('}', node.source.start);
    replaceKeepingLines(s, code, closingBrace + 1, node.source.start, ' = ');
  }
  s.overwrite(node.source.start, node.source.end, load);
}

/** Every identifier the program uses outside its import declarations (property names included: a name kept needlessly costs nothing). */
function namesReferenced(program: Program): Set<string> {
  const names = new Set<string>();
  const walk = (node: AnyNode): void => {
    if (node.type === 'ImportDeclaration') return;
    if (node.type === 'Identifier') names.add(node.name);
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
  return names;
}

/** `import(…)` and `import.meta` have no meaning in a program that is not a module. */
function rejectDynamicModuleSyntax(program: Program, fail: (node: AnyNode, message: string) => never): void {
  const walk = (node: AnyNode): void => {
    if (node.type === 'ImportExpression') fail(node, '`import(…)` is not available here; import weft modules at the top of the program');
    if (node.type === 'MetaProperty' && node.meta.name === 'import') fail(node, '`import.meta` is not available here');
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
}
