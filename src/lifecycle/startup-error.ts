/**
 * A start that cannot succeed as configured: main prints the message, one line naming the problem
 * and its fix, and exits 1 without a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
