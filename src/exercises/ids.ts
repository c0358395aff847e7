/**
 * How exercise folders are named and what id each gets, shared by the
 * catalog (Node, build time) and the page's checks loader (browser). No
 * imports.
 *
 *   exercises/01-threads/02-shared-counter/  ->  chapter "threads", id "shared-counter"
 */

/** A lowercase kebab-case slug, the book's one shape of name: exercise ids (`shared-counter`), chapter slugs, check ids. */
const SLUG_PATTERN = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';

/** A whole string that is a slug: `shared-counter`, `counts-every-increment`. */
export const SLUG = new RegExp(`^${SLUG_PATTERN}$`);

/** `NN-slug`: a two-digit position, then a slug. */
export const ORDERED_FOLDER = new RegExp(`^(\\d{2})-(${SLUG_PATTERN})$`);

/** The slug of an `NN-slug` folder name, or undefined when it is not one. */
export function slugOf(folder: string): string | undefined {
  return ORDERED_FOLDER.exec(folder)?.[2];
}

/** The exercise id of a path inside an exercise folder (`/exercises/01-threads/02-shared-counter/checks.ts` -> `shared-counter`). */
export function exerciseIdOfPath(path: string): string | undefined {
  const parts = path.split(/[\\/]/);
  const folder = parts.at(-2);
  return folder === undefined ? undefined : slugOf(folder);
}
