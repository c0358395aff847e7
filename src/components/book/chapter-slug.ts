/**
 * A chapter's URL slug from its file name: the numeric ordering prefix and the
 * extension are dropped, so `01-threads.mdx` becomes `threads`.
 * No imports: used by `content.config.ts` at build time.
 */
export function chapterSlug(fileName: string): string {
  const base = fileName.replace(/^.*\//, '').replace(/\.mdx?$/, '');
  return base.replace(/^\d+[-_.]/, '');
}
