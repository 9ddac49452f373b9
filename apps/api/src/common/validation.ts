import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { buildMessage, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { emailAddressProblem, hasLineBreak, type FieldProblem } from '#domain';
import { ValidationProblem } from './problem.js';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Unknown fields are refused, types are not coerced, and every failing field is named. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}

/**
 * The property may be left out; when sent, it is checked, null included. class-validator's
 * IsOptional lets null through unchecked as well (so does PartialType unless told
 * skipNullProperties: false), and services test optional fields against undefined only: a
 * PATCH of {"name": null} reached name.trim(). A property that may be cleared says so
 * beside this, with ValidateIf((_, value) => value !== null).
 */
export function MayBeOmitted(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/** Decimal places in the shortest way JavaScript writes a number, exponent included: 1.5e-7 has 8. */
export function decimalPlaces(value: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/**
 * A finite number with at most `places` decimal places. In place of class-validator's
 * IsNumber({ maxDecimalPlaces }), which throws on a fraction JavaScript writes with an
 * exponent (5e-324, 1e-7) and so answers such a body with a 500.
 */
export function IsNumberWithPlaces(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumberWithPlaces',
      constraints: [places],
      validator: {
        validate: (value) => typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= places,
        defaultMessage: buildMessage((each) => `${each}$property must be a number with at most $constraint1 decimal places`, options),
      },
    },
    options,
  );
}

/** An email address stemflow can send to, by the one rule in libs/domain (no CR, LF or quoted local part). */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmailAddress',
      validator: {
        validate: (value) => emailAddressProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property} ${emailAddressProblem(args?.value)}`,
      },
    },
    options,
  );
}

/**
 * A name on one line. Names typed into the API with a line break are refused (the caller
 * can put it right); the school import flattens them instead, since a GIAS extract is
 * not the importer's to edit.
 */
export function IsOneLine(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOneLine',
      validator: {
        validate: (value) => typeof value !== 'string' || !hasLineBreak(value),
        defaultMessage: buildMessage((each) => `${each}$property must be on one line (no line breaks)`, options),
      },
    },
    options,
  );
}
