/**
 * How the book finds the Rust program beside a runnable example: the
 * ```rust block right before the ```ts run block, with nothing but blank
 * lines between (tests/support/chapter-examples.ts). examples.test.ts
 * fails every chapter whose example lacks one; these fixtures pin down what
 * counts as "right before".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExamples } from '../../support/chapter-examples.ts';
import { tempDir } from '../support/temp-dir.ts';

const fence = '```';
function chapter(body: string): string {
  const file = join(tempDir('weft-chapter-'), '99-fixture.mdx');
  writeFileSync(file, `---\ntitle: Fixture\norder: 99\nsummary: fixture\n---\n\n${body}`);
  return file;
}
const rust = `${fence}rust\nfn main() {\n    println!("hi");\n}\n${fence}\n`;
const ts = `${fence}ts run\nfunction main() {\n  console.log("hi");\n}\n${fence}\n\n${fence}text output\nhi\n${fence}\n`;

describe('the Rust counterpart of a runnable example', () => {
  it('is the rust block right before it', () => {
    const [example] = readExamples(chapter(`${rust}\n${ts}`));
    expect(example?.rust).toContain('fn main()');
  });

  it('is missing when prose stands between the two blocks', () => {
    const [example] = readExamples(chapter(`${rust}\nSome prose.\n\n${ts}`));
    expect(example?.rust).toBeUndefined();
  });

  it('is missing when the block before is another language', () => {
    const [example] = readExamples(chapter(`${fence}ts\nconst x = 1;\n${fence}\n\n${ts}`));
    expect(example?.rust).toBeUndefined();
  });

  it('may be a Rust program that fails to compile (rust compile_fail)', () => {
    const [example] = readExamples(chapter(`${fence}rust compile_fail\nfn main() { let x: i32 = "no"; }\n${fence}\n\n${ts}`));
    expect(example?.rust).toContain('fn main()');
  });

  it('belongs to one example only: the next example needs its own', () => {
    const examples = readExamples(chapter(`${rust}\n${ts}\n${ts}`));
    expect(examples.map((example) => example.rust !== undefined)).toEqual([true, false]);
  });
});
