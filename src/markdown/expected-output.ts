/**
 * The output an example is expected to print, labelled: the ```` ```text output ````
 * block after a runnable example (and ```` ```text report ````, what weft
 * reports at the end of a run) is wrapped in a `<figure class="expected-output">`
 * captioned with what it is, so the reader never confuses it with the live
 * output panel above it. The figure carries how to compare (`data-compare`:
 * exact, unordered, shape), which the example uses to say whether a run
 * printed what the book says (example-controller.ts).
 *
 * A plugin of its own beside runnable-examples.ts: same two-pass shape
 * (mdast wraps, hast captions), different blocks.
 */
import type { HastNode, HastPluginDefinition, MdastPluginDefinition } from 'satteri';

export type OutputComparison = 'exact' | 'unordered' | 'shape';

/** What a `text` fence's meta says of it: an expected output (and how to compare it), a report, or neither. */
export function parseOutputMeta(lang: string | null | undefined, meta: string | null | undefined): { kind: 'output'; compare: OutputComparison } | { kind: 'report' } | null {
  if (lang !== 'text' || !meta) return null;
  const words = meta.trim().split(/\s+/);
  if (words[0] === 'report') return { kind: 'report' };
  if (words[0] !== 'output') return null;
  return { kind: 'output', compare: words.includes('unordered') ? 'unordered' : words.includes('shape') ? 'shape' : 'exact' };
}

const FIGURE = 'expected-output';

const CAPTIONS: Record<OutputComparison | 'report', string> = {
  exact: 'Expected output',
  unordered: 'Expected output (the lines may come in another order)',
  shape: 'Sample output (the numbers differ from run to run)',
  report: 'What weft reports',
};

export const expectedOutputMdast: MdastPluginDefinition = {
  name: 'weft-expected-output-wrap',
  code(node, ctx) {
    const parsed = parseOutputMeta(node.lang, node.meta);
    if (!parsed) return;
    const compare = parsed.kind === 'report' ? 'report' : parsed.compare;
    ctx.wrapNode(node, {
      type: 'expectedOutput',
      children: [],
      data: { hName: 'figure', hProperties: { className: FIGURE, dataCompare: compare } },
    });
  },
};

export const expectedOutputHast: HastPluginDefinition = {
  name: 'weft-expected-output-caption',
  element: {
    filter: ['figure'],
    visit(node, ctx) {
      // The mdast pass sets a string; hast may hand it back as a list of class names.
      const className: unknown = node.properties?.className;
      const ours = className === FIGURE || (Array.isArray(className) && className.includes(FIGURE));
      if (!ours) return;
      const compare = String(node.properties?.dataCompare ?? 'exact') as keyof typeof CAPTIONS;
      ctx.prependChild(node as HastNode, {
        type: 'element',
        tagName: 'figcaption',
        properties: { className: ['expected-output__label'] },
        children: [{ type: 'text', value: CAPTIONS[compare] ?? CAPTIONS.exact }],
      });
    },
  },
};

/** Whether printed lines are what an expected-output block shows, compared as the block says (the tests compare the same way). */
export function matchesExpected(printed: readonly string[], expected: readonly string[], compare: OutputComparison): boolean {
  if (printed.length !== expected.length) return false;
  if (compare === 'unordered') {
    const sorted = (lines: readonly string[]) => [...lines].sort().join('\n');
    return sorted(printed) === sorted(expected);
  }
  if (compare === 'shape') {
    const pattern = (line: string) =>
      new RegExp(`^${line.trim().split(/(-?\d+(?:\.\d+)?|\s+)/).map((part) => (/^-?\d/.test(part) ? '-?\\d+(?:\\.\\d+)?' : /^\s+$/.test(part) ? '\\s+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
    return printed.every((line, i) => pattern(expected[i]!).test(line.trim()));
  }
  return printed.every((line, i) => line === expected[i]);
}
