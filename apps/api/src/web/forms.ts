import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';

export interface FieldError {
  text: string;
  /** Where the error summary's link goes: the field's input. */
  href: string;
}

/** What a form page shows when a submission is refused: the summary's list and each field's message. */
export interface FormErrors {
  list: FieldError[];
  byField: Record<string, { text: string }>;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors; values: Record<string, string> };

function firstMessages(errors: ValidationError[], parent = ''): Array<{ field: string; text: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    return [...(own.length > 0 ? [{ field, text: own[0] }] : []), ...firstMessages(error.children ?? [], field)];
  });
}

/**
 * A page's form body checked by its form class, as the API's pipe checks a JSON body:
 * class-validator's decorators, messages written for the person filling it in (one per
 * field: the first that fails). Fields the form does not know are dropped, not refused: a
 * page's form is not an API contract. On refusal it answers what was typed, to show again.
 */
export async function validateForm<T extends object>(form: new () => T, body: unknown): Promise<FormResult<T>> {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const value = plainToInstance(form, fields, { excludeExtraneousValues: false });
  const problems = firstMessages(await validate(value, { whitelist: true, forbidUnknownValues: true, stopAtFirstError: true, validationError: { target: false, value: false } }));
  if (problems.length === 0) return { ok: true, value };
  const values = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return {
    ok: false,
    values,
    errors: {
      list: problems.map((p) => ({ text: p.text, href: `#${p.field}` })),
      byField: Object.fromEntries(problems.map((p) => [p.field, { text: p.text }])),
    },
  };
}
