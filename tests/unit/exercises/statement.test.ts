/** How an exercise's README.md becomes the statement under the exercise's own title (src/exercises/collection.ts). */
import { expect, it } from 'vitest';
import { statementForPage } from '../../../src/exercises/collection.ts';

it('drops the leading # title, which the exercise header already shows', () => {
  expect(statementForPage('# Count together\n\nFour threads each add 1.\n')).toBe('Four threads each add 1.');
});

it('keeps a statement without a title whole', () => {
  expect(statementForPage('Four threads.\n\n# Not a title\n')).toBe('Four threads.\n\n### Not a title');
});

it('pushes further headings below the exercise title (h3), leaving code blocks alone', () => {
  const readme = ['# Title', '', '## Part one', 'text', '```ts', '# not a heading in code', '```', '#### Deep'].join('\n');
  expect(statementForPage(readme)).toBe(['#### Part one', 'text', '```ts', '# not a heading in code', '```', '###### Deep'].join('\n'));
});
