/**
 * The one error the compile step throws. It always carries a place in the
 * reader's own source (1-based line and column), because the page shows it as
 * an editor marker and the CLI prints it as `main.ts:LINE:COL`.
 */
export class CompileError extends Error {
  /** 1-based line in the reader's source. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors and V8 count) in the reader's source. */
  column: number;
  /**
   * The parser could not read the program (CompileError.syntaxError): the
   * editor's TypeScript may place it better (components/editor/syntax-location.ts).
   */
  readonly syntax: boolean;

  constructor(message: string, line: number, column: number, options: { syntax?: boolean } = {}) {
    super(message);
    this.name = 'CompileError';
    this.line = line;
    this.column = column;
    this.syntax = options.syntax ?? false;
  }

  /** A syntax error, worded `syntax error: <message>` and marked as one. */
  static syntaxError(message: string, line: number, column: number): CompileError {
    return new CompileError(`syntax error: ${message}`, line, column, { syntax: true });
  }
}
