/**
 * A chapter that says how many exercises it has ("Two exercises to
 * practise…") must have that many: chapter 1 said two above five.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const contentDir = fileURLToPath(new URL('../../../content/', import.meta.url));
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

describe.each(readdirSync(contentDir).filter((f) => f.endsWith('.mdx')))('%s', (file) => {
  it('every count of its exercises in the prose is the number of exercises it embeds', () => {
    const text = readFileSync(contentDir + file, 'utf8');
    const embedded = text.match(/<Exercise id=/g)?.length ?? 0;
    const said = [...text.matchAll(new RegExp(`\\b(${NUMBERS.join('|')}|\\d+)\\s+exercises\\b`, 'gi'))].map((m) => m[1]!.toLowerCase());
    for (const word of said) expect(/^\d+$/.test(word) ? Number(word) : NUMBERS.indexOf(word), `"${word} exercises"`).toBe(embedded);
  });
});
