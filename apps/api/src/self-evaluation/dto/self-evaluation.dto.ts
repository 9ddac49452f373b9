import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsString, Length, Matches } from 'class-validator';
import { IsOneLine, MayBeOmitted } from '../../common/validation.js';

export class UploadFrameworkDto {
  @ApiProperty({ example: 'tees-stem-grid', description: 'Unique key: lower-case letters, digits and hyphens' }) @IsString() @Length(2, 41) key: string;
  @ApiProperty({ example: 'Tees Valley STEM grid' }) @IsOneLine() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 'Tees Valley STEM Hub' }) @MayBeOmitted() @IsString() @Length(1, 200) publisher?: string;
  @ApiProperty({ example: ['Emerging', 'Developing', 'Secure'], description: '2 to 7 levels, from the first step to the last' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(7)
  @IsString({ each: true })
  levels: string[];
  @ApiProperty({
    description: 'Groups of elements; each element has a key unique in the framework, a name, and optionally a code and a one-sentence summary',
    example: [{ name: 'Leadership', elements: [{ key: 'vision', name: 'Vision for STEM', summary: 'How clearly the school says why STEM matters.' }] }],
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  groups: Array<Record<string, unknown>>;
}

export class CohortSelfEvaluationDto {
  @ApiProperty({ example: 'iris-ri', description: 'A built-in framework or one uploaded for the programme' }) @IsString() @Length(1, 41) frameworkKey: string;
  @ApiProperty({ example: ['1.5', '2.1'], description: 'The elements schools work on this year: 1 to 6 (the seeds advise one or two at a time)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @IsString({ each: true })
  @Length(1, 61, { each: true })
  elementKeys: string[];
  @ApiPropertyOptional({ example: ['ats-subject-rating', 'ats-maturity'], description: 'Frameworks of the baseline at joining (every element of each)' })
  @MayBeOmitted()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsString({ each: true })
  @Length(1, 41, { each: true })
  baselineFrameworkKeys?: string[];
}

export class CohortEvaluationsQuery {
  @ApiPropertyOptional({ example: '2026/27 spring', description: 'The term ("2026/27 spring") or "baseline"; the latest term opened when left out' })
  @MayBeOmitted()
  @IsString()
  @Length(1, 60)
  @Matches(/^[\w/ -]+$/)
  term?: string;
}
