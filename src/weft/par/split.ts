/**
 * Rayon's `rayon::iter::split`: a par iterator over the pieces a closure
 * cuts some data into. https://docs.rs/rayon/latest/rayon/iter/fn.split.html
 *
 * `splitter(data)` returns `[left, right]` to cut `data` in two, or
 * `[data, undefined]` when it should not be cut further (Rust:
 * `(D, Option<D>)`). Rayon cuts as its adaptive splitter says: each piece
 * is offered to the splitter while a budget, starting at the pool's thread
 * count and halved at each level, lasts (and refilled when a thief steals
 * a piece). weft cuts the same way, with the budget of a run where nothing
 * is stolen, but eagerly, on the calling thread, when `split` is called:
 * Rayon calls the splitter lazily, on the pool's threads, once the iterator
 * is consumed. The pieces then go to the pool like any par iterator's items,
 * so they must be data that can cross threads.
 */
import { currentNumThreads } from './current.ts';
import { parIter, type ParallelIterator } from './iter.ts';

export function split<D>(data: D, splitter: (data: D) => readonly [D, D | undefined]): ParallelIterator<D> {
  if (typeof splitter !== 'function') {
    throw new TypeError(`split expects a closure that cuts the data, like split(data, (d) => [left, right]), but got ${splitter === null ? 'null' : typeof splitter}`);
  }
  const pieces: D[] = [];
  const cut = (piece: D, budget: number): void => {
    if (budget === 0) {
      pieces.push(piece);
      return;
    }
    const result = splitter(piece);
    if (!Array.isArray(result) || result.length !== 2) {
      throw new TypeError('split: the splitter must return [left, right], or [data, undefined] to stop (Rust: (D, Option<D>))');
    }
    const [left, right] = result as readonly [D, D | undefined];
    if (right === undefined) {
      pieces.push(left);
      return;
    }
    cut(left, budget >> 1);
    cut(right, budget >> 1);
  };
  cut(data, Math.max(1, currentNumThreads()));
  return parIter(pieces);
}
