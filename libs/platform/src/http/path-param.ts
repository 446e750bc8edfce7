import { z } from 'zod';

/**
 * `@Param(name, pathParam(name, schema))`: validates a path parameter so that a
 * 400 names it (the platform's validation pipe takes the field from the issue
 * path, which is empty for a bare path parameter), and documents it with the
 * schema's JSON Schema.
 */
export function pathParam(name: string, schema: z.ZodString): { schema: z.ZodType<string> } {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema);
  return {
    schema: z
      .string()
      .superRefine((value, ctx) => {
        const parsed = schema.safeParse(value);
        if (!parsed.success)
          for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [name] });
      })
      .meta(jsonSchema),
  };
}
