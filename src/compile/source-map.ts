/**
 * Positions in the generated program back to the reader's source.
 *
 * Two source maps are composed at lookup time rather than merged at compile
 * time: merging would cost work on every compile, while lookups happen only
 * when something goes wrong (a panic, an editor marker). Both maps stay plain
 * JSON, because the runner posts the compiled program to other workers.
 *
 *   generated program --program map--> type-stripped code --stripped map--> reader source
 *
 * The program map (magic-string, one segment per character) also covers the
 * copies of lifted closures in the trailer: each copy maps to the same
 * type-stripped text as the closure in place.
 */
import { TraceMap, decodedMappings, traceSegment } from '@jridgewell/trace-mapping';
import type { SourceLocation } from '../weft/runtime/context.ts';

/** A version 3 source map reduced to the fields the lookups need; mappings encoded (VLQ) or decoded. */
export interface RawSourceMap {
  version: 3;
  sources: string[];
  names: string[];
  mappings: string | number[][][];
}

/** Everything needed to map a position in the generated program back to the reader's source. */
export interface ProgramMap {
  /** Generated program -> type-stripped code. Line 1 (the wrapper) and the trailer's glue have no mappings. */
  program: RawSourceMap;
  /** Type-stripped code -> reader source, one segment per token (line-alignment.ts). */
  stripped: RawSourceMap;
}

// Parsed maps per ProgramMap object; a map that was posted to a worker is a
// new object there and gets parsed once there.
const traceMaps = new WeakMap<RawSourceMap, TraceMap>();

function traceMapOf(map: RawSourceMap): TraceMap {
  let traced = traceMaps.get(map);
  if (traced === undefined) {
    traced = new TraceMap(map as ConstructorParameters<typeof TraceMap>[0]);
    traceMaps.set(map, traced);
  }
  return traced;
}

/**
 * A position in the type-stripped code (1-based line, 0-based column, as acorn
 * reports it) -> reader source. The map has the start of each token, so the
 * distance from the token start is added back: a position inside a token maps
 * inside the same token.
 */
export function mapStrippedLocation(stripped: RawSourceMap, line: number, column0: number): SourceLocation | null {
  const segment = traceSegment(traceMapOf(stripped), line - 1, column0);
  if (segment === null || segment.length < 4) return lineStart(stripped, line);
  const [generatedColumn, , sourceLine, sourceColumn] = segment as readonly [number, number, number, number];
  return { line: sourceLine + 1, column: sourceColumn + (column0 - generatedColumn) + 1 };
}

/**
 * A position before the first mapped character of its line -> where that line's first mapped character comes from:
 * code the compiler put at a line's start, before the reader's own text (the `finally` that disposes a `using` before
 * its block's closing brace, using-unwind.ts), belongs to that line. Without it the frame mapped to nothing and the
 * caller's line was named instead. Null for a line with no mapping at all (the wrapper, the trailer's glue).
 */
function lineStart(map: RawSourceMap, line: number): SourceLocation | null {
  const first = decodedMappings(traceMapOf(map))[line - 1]?.[0];
  if (first === undefined || first.length < 4) return null;
  const [, , sourceLine, sourceColumn] = first as readonly [number, number, number, number];
  return { line: sourceLine + 1, column: sourceColumn + 1 };
}

/**
 * A position in the generated program (1-based line and column, as V8 stack
 * frames report them) -> reader source, or null when it is in code the
 * compiler added (the wrapper, the trailer's glue).
 */
export function mapLocation(map: ProgramMap, line: number, column: number): SourceLocation | null {
  // One segment per character, so no distance is added here: a position in
  // inserted text (`__weft.lift(…, `) maps to the character before it, which is
  // the reader's own call; inserted text at a line's start, to its first mapped character (lineStart).
  const segment = traceSegment(traceMapOf(map.program), line - 1, column - 1) ?? decodedMappings(traceMapOf(map.program))[line - 1]?.[0] ?? null;
  if (segment === null || segment.length < 4) return null;
  const [, , strippedLine, strippedColumn] = segment as readonly [number, number, number, number];
  return mapStrippedLocation(map.stripped, strippedLine + 1, strippedColumn);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The first stack frame that lies in the program -> reader location.
 * Understands V8 frames (`at fn (URL:line:col)`, `at URL:line:col`) and the
 * `fn@URL:line:col` frames of Firefox and Safari. Frames in the wrapper or the
 * trailer's glue are skipped; null when no frame maps.
 */
export function mapStack(map: ProgramMap, stack: string, sourceURL: string): SourceLocation | null {
  // The URL must start the location (after `(`, a space, `@` or the line start),
  // so `main.ts` does not match `file:///elsewhere/main.ts`.
  const frame = new RegExp(`(?:^|[\\s(@])${escapeRegExp(sourceURL)}:(\\d+):(\\d+)`);
  for (const line of stack.split('\n')) {
    const match = frame.exec(line);
    if (match === null) continue;
    const location = mapLocation(map, Number(match[1]), Number(match[2]));
    if (location !== null) return location;
  }
  return null;
}
