/**
 * Few error classes. A `UserFacingError` carries a French message that is safe to show; anything else is a bug or an
 * outage: the user gets a generic French apology with a reference, the log gets the stack.
 */

export class UserFacingError extends Error {
  constructor(
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'UserFacingError';
  }
}

/** A knowledge or directory file that does not validate; `file` and `field` say exactly where. */
export class KnowledgeError extends Error {
  constructor(readonly problems: readonly { file: string; problem: string }[]) {
    super(problems.map((p) => `${p.file}: ${p.problem}`).join('\n'));
    this.name = 'KnowledgeError';
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
