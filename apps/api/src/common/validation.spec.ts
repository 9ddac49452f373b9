import 'reflect-metadata';
import { IsString, IsUUID, validate, ValidateIf } from 'class-validator';
import { decimalPlaces, IsNumberWithPlaces, MayBeOmitted } from './validation.js';

const failing = async <T extends object>(dto: T, values: Partial<Record<keyof T, unknown>>) => (await validate(Object.assign(dto, values))).map((e) => e.property);

class Indicators {
  @IsNumberWithPlaces(2) fsmPercent: unknown;
}

class PartnershipChange {
  @MayBeOmitted() @IsString() name?: unknown;
  @MayBeOmitted() @ValidateIf((_, value) => value !== null) @IsUUID() educationalLeadId?: unknown;
}

describe('numbers with a limit on decimal places', () => {
  it('counts the places of numbers JavaScript writes with an exponent', () => {
    expect([31.5, 31, 0.25, 1e21, 1.5e-7, 5e-324, -5e-324].map(decimalPlaces)).toEqual([1, 0, 2, 0, 8, 324, 324]);
  });

  it('takes whole numbers and up to two places, and refuses more, tiny fractions, infinities and non-numbers without throwing', async () => {
    for (const good of [0, 31.5, 99.99, 1e21]) expect(await failing(new Indicators(), { fsmPercent: good })).toEqual([]);
    for (const bad of [31.555, 1e-7, -5e-324, Infinity, NaN, '31.5', null]) expect(await failing(new Indicators(), { fsmPercent: bad })).toEqual(['fsmPercent']);
  });
});

describe('a property that may be left out', () => {
  it('is not checked when left out, and is checked when sent as null', async () => {
    expect(await failing(new PartnershipChange(), {})).toEqual([]);
    expect(await failing(new PartnershipChange(), { name: null })).toEqual(['name']);
  });

  it('takes null only where the property says it may be cleared', async () => {
    expect(await failing(new PartnershipChange(), { educationalLeadId: null })).toEqual([]);
    expect(await failing(new PartnershipChange(), { educationalLeadId: 'not-a-uuid' })).toEqual(['educationalLeadId']);
  });
});
