/**
 * The till's structured log, as the core sees it: a message with fields (pino's calling
 * convention, so a pino logger is one). An error goes in the `err` field, with its stack.
 */
export interface Log {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** Lines on the console, for tools and tests that open no log file. */
export const consoleLog: Log = {
  info: (fields, msg) => console.log(`[tillsmith] ${msg}`, fields),
  warn: (fields, msg) => console.warn(`[tillsmith] ${msg}`, fields),
  error: (fields, msg) => console.error(`[tillsmith] ${msg}`, fields),
};
