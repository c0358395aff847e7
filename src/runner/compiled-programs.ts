import type { ProgramPayload } from './protocol.ts';

/**
 * Programs as their runs compiled them, by source, most recent last. A
 * grading runs one source dozens of times; with its compiled program in
 * hand, a run's main worker skips loading the compiler and compiling. Only
 * weft's side of a worker can send a 'program' message (it is signed with
 * the worker's token, and sent before the program is evaluated), so what is
 * kept here is what the compile step made of the source.
 */
export class CompiledPrograms {
  static readonly #KEEP = 8;
  readonly #bySource = new Map<string, ProgramPayload>();

  get(source: string): ProgramPayload | undefined {
    return this.#bySource.get(source);
  }

  keep(source: string, program: ProgramPayload): void {
    this.#bySource.delete(source);
    this.#bySource.set(source, program);
    for (const oldest of this.#bySource.keys()) {
      if (this.#bySource.size <= CompiledPrograms.#KEEP) break;
      this.#bySource.delete(oldest);
    }
  }
}
