import type * as z from 'zod';

/** Readable one-line summary of a zod failure, for 400 bodies and thrown errors. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}
