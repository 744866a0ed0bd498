/** A snapshot that cannot be read: says what is wrong and where. Its message is one line, fit for a user. */
export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}

/** A well-formed snapshot too large for the memory the analysis may use: says how much it needs and the limit. */
export class TooLargeError extends ParseError {
  override name = 'TooLargeError';
}
