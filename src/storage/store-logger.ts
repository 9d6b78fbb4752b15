/** The slice of a pino logger the store uses; a pino `Logger` satisfies it. */
export interface StoreLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
