/**
 * Runnable examples: a fenced block written ```` ```ts run ```` (optionally
 * ```` ```ts run timeout=20000 ````, or ```` seed=7 ```` to run under the
 * seeded scheduler) becomes a `<weft-example>` element.
 *
 * Astro 7 compiles Markdown and MDX with Sätteri, whose plugins are visitor
 * objects (the remark/rehype equivalents). Two passes, because Astro's Shiki
 * highlighter runs first in the hast phase and drops the fence's meta string:
 *
 * 1. mdast: wrap each runnable `code` node in a `weft-example` parent that
 *    carries the raw source and options as properties. Shiki then highlights
 *    the `<pre>` inside it like any other block (light + dark themes).
 * 2. hast: give each `weft-example` its toolbar, its source as a JSON script,
 *    and an empty output log. The client element (src/components/example/)
 *    upgrades it; without JavaScript it is just highlighted code, because
 *    the toolbar and log are hidden until the element is defined.
 *
 * Plain ```` ```ts ```` blocks are left alone. A ```` ```rust ```` block (the
 * Rust program an example mirrors, which the book puts right before it) is
 * wrapped in a `<figure class="rust-counterpart">` captioned "Rust", so the
 * reader can tell the two languages apart at a glance.
 */
import type { HastNode, HastPluginDefinition, MdastPluginDefinition } from 'satteri';
import type { Element, ElementContent } from 'hast';

/** What a fence's meta string asks of an example. */
export interface ExampleOptions {
  /** Time limit for one run, ms; the runner's default applies when absent. */
  timeoutMs?: number;
  /**
   * Run under the seeded scheduler with this seed (```` ```ts run seed=7 ````):
   * one thread at a time, virtual time, the same interleaving on every run.
   */
  seed?: number;
  /** ```` ```ts run explore ````: the main action is Run under 20 schedules (the lesson is nondeterminism). */
  explore?: boolean;
}

const RUNNABLE_LANGS = new Set(['ts', 'typescript']);

/**
 * `null` unless the fence is a runnable example. The meta is a list of words
 * and `key=value` pairs; `run` must be one of the words.
 */
export function parseExampleMeta(lang: string | null | undefined, meta: string | null | undefined): ExampleOptions | null {
  if (!lang || !RUNNABLE_LANGS.has(lang) || !meta) return null;
  const words = meta.trim().split(/\s+/);
  if (!words.includes('run')) return null;
  const options: ExampleOptions = {};
  for (const word of words) {
    const [key, value] = word.split('=', 2);
    if (key === 'timeout' && value && /^\d+$/.test(value)) options.timeoutMs = Number(value);
    if (key === 'seed' && value && /^\d+$/.test(value)) options.seed = Number(value);
    if (word === 'explore') options.explore = true;
  }
  return options;
}

/** Properties carried from the mdast pass to the hast pass (removed there). */
const SOURCE_PROP = 'dataWeftSource';

/** The class of the figure around a Rust block; the hast pass gives it its caption. */
const RUST_FIGURE = 'rust-counterpart';

export const runnableExamplesMdast: MdastPluginDefinition = {
  name: 'weft-runnable-examples-wrap',
  code(node, ctx) {
    if (node.lang === 'rust') {
      ctx.wrapNode(node, {
        type: 'rustCounterpart',
        children: [],
        data: { hName: 'figure', hProperties: { className: RUST_FIGURE } },
      });
      return;
    }
    const options = parseExampleMeta(node.lang, node.meta);
    if (!options) return;
    const properties: Record<string, string> = { [SOURCE_PROP]: node.value, className: 'weft-example' };
    if (options.timeoutMs !== undefined) properties.dataTimeout = String(options.timeoutMs);
    if (options.seed !== undefined) properties.dataSeed = String(options.seed);
    if (options.explore) properties.dataExplore = '';
    ctx.wrapNode(node, {
      type: 'weftExample',
      children: [],
      data: { hName: 'weft-example', hProperties: properties },
    });
  },
};

const el = (tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const text = (value: string): ElementContent => ({ type: 'text', value });

/** An inline icon, hidden from assistive technology so each button's name is its word. */
const icon = (path: string): Element =>
  el('svg', { ariaHidden: 'true', focusable: 'false', viewBox: '0 0 16 16', width: '14', height: '14' }, [
    el('path', { d: path, fill: 'currentColor' }),
  ]);

const ICONS = {
  run: 'M4 2.5v11l9-5.5z',
  stop: 'M3.5 3.5h9v9h-9z',
  reset: 'M8 3a5 5 0 1 1-4.9 6h1.6A3.5 3.5 0 1 0 8 4.5V7L4.5 3.75 8 .5z',
  edit: 'M11.2 1.8l3 3-8.5 8.5H2.7v-3zM10 4.6l1.4 1.4',
  explore: 'M2 3h3v2H2zM2 7h3v2H2zM2 11h3v2H2zM6 3.5h8v1H6zM6 7.5h5v1H6zM6 11.5h7v1H6z',
  timeline: 'M1 3h9v3H1zM5 8h10v3H5zM1 13h14v1H1z',
};

/** How many seeds Run under N schedules tries (seeds 1..N). */
export const EXPLORE_SCHEDULES = 20;

const button = (action: keyof typeof ICONS, label: string, extra: Element['properties'] = {}): Element =>
  el('button', { type: 'button', className: ['weft-example__button', `weft-example__button--${action}`], dataAction: action, disabled: true, ...extra }, [
    icon(ICONS[action]),
    el('span', {}, [text(label)]),
  ]);

/** A value as JSON to put inside a <script>: inert, exact, and safe from `</script>` in a string. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The source as JSON inside a script: inert, exact, and safe from `</script>` in the code. */
export function sourceScript(source: string): Element {
  return el('script', { type: 'application/json', className: ['weft-example__source'] }, [text(jsonForScript(source))]);
}

export const runnableExamplesHast: HastPluginDefinition = {
  name: 'weft-runnable-examples-ui',
  element: {
    filter: ['weft-example', 'figure'],
    visit(node, ctx) {
      if (node.tagName === 'figure') {
        // The mdast pass sets a string; hast may hand it back as a list of class names.
        const className: unknown = node.properties?.className;
        const isRust = className === RUST_FIGURE || (Array.isArray(className) && className.includes(RUST_FIGURE));
        if (isRust) ctx.prependChild(node as HastNode, el('figcaption', { className: ['rust-counterpart__label'] }, [text('Rust')]));
        return;
      }
      const source = node.properties?.[SOURCE_PROP];
      if (typeof source !== 'string') return;
      ctx.setProperty(node as HastNode, SOURCE_PROP, null);
      const seed = node.properties?.dataSeed;
      const label = seed === undefined || seed === null ? 'TypeScript' : `TypeScript, seed ${String(seed)}`;
      const explore = button('explore', `Run under ${EXPLORE_SCHEDULES} schedules`, { dataSchedules: String(EXPLORE_SCHEDULES) });
      const exploreFirst = node.properties?.dataExplore !== undefined && node.properties?.dataExplore !== null;
      const toolbar = el('div', { className: ['weft-example__toolbar'], role: 'toolbar', ariaLabel: 'Example' }, [
        el('span', { className: ['weft-example__label'] }, [text(label)]),
        el('span', { className: ['weft-example__hint'] }, []),
        ...(exploreFirst ? [explore] : []),
        button('run', 'Run', { ariaKeyShortcuts: 'Control+Enter Meta+Enter' }),
        button('stop', 'Stop'),
        button('reset', 'Reset'),
        button('edit', 'Edit'),
        ...(exploreFirst ? [] : [explore]),
        // Shown once a run has ended (the run recorded its trace).
        button('timeline', 'Timeline', { hidden: true, ariaExpanded: 'false' }),
      ]);
      const output = el('div', {
        className: ['weft-example__output'],
        role: 'log',
        ariaLive: 'polite',
        ariaLabel: 'Output',
        tabIndex: 0,
        hidden: true,
      });
      ctx.prependChild(node as HastNode, toolbar);
      ctx.appendChild(node as HastNode, [sourceScript(source), output]);
    },
  },
};
