/**
 * Facts about the book as a published thing: its version and where its
 * source lives. Both come from package.json, their one home (`version`,
 * `repository.url`), so the footer, the 404 page and the whole-book page
 * never disagree. Links only: the page makes no network call of its own.
 */
import pkg from '../../../package.json' with { type: 'json' };

/** The book's version, as package.json gives it. */
export const BOOK_VERSION: string = pkg.version;

/** The source repository's web address, without a trailing slash or `.git`. */
export const SOURCE_REPOSITORY: string = String((pkg as { repository?: { url?: string } }).repository?.url ?? '')
  .replace(/^git\+/, '')
  .replace(/\.git$/, '')
  .replace(/\/$/, '');

/** "Edit this page": the file's editor on the repository's main branch. */
export function editHref(pathInRepository: string): string {
  return `${SOURCE_REPOSITORY}/edit/main/${pathInRepository}`;
}

/** "Report a problem": a new issue, titled and addressed, for the reader to fill in. */
export function reportHref(pageTitle: string, pagePath: string): string {
  const title = `Problem on “${pageTitle}”`;
  const body = `Page: ${pagePath}\nBook version: ${BOOK_VERSION}\n\nWhat I expected:\n\nWhat happened instead:\n`;
  return `${SOURCE_REPOSITORY}/issues/new?title=${encodeURIComponent(title)}&body=${encodeURIComponent(body)}`;
}
