/**
 * A check's title and message name code in backticks ("At most `slots` CPU
 * jobs run at once"); the page showed the backticks as they are, in prose.
 * check-results sets the backticked words as code.
 */
import { describe, expect, it } from 'vitest';
import { codeSpans } from '../../../../src/components/exercise/check-results.ts';

describe('codeSpans', () => {
  it('cuts a check title at its backticks, the words inside them as code', () => {
    expect(codeSpans('At most `slots` CPU jobs run at once')).toEqual([
      { text: 'At most ', code: false },
      { text: 'slots', code: true },
      { text: ' CPU jobs run at once', code: false },
    ]);
  });
  it('leaves text without backticks, a lone backtick, and a backtick pair across lines as text', () => {
    expect(codeSpans('crunch runs on a blocking thread')).toEqual([{ text: 'crunch runs on a blocking thread', code: false }]);
    expect(codeSpans('a ` alone')).toEqual([{ text: 'a ` alone', code: false }]);
    expect(codeSpans('a `b\nc` d')).toEqual([{ text: 'a `b\nc` d', code: false }]);
  });
  it('takes code at the start and the end, and several spans', () => {
    expect(codeSpans('`using` guards and `unlock()`')).toEqual([
      { text: 'using', code: true },
      { text: ' guards and ', code: false },
      { text: 'unlock()', code: true },
    ]);
  });
});
