import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import type { AcademicCalendar } from '#domain';
import { IsOneLine, MayBeOmitted } from '../../common/validation.js';

/** What a calendar's key may be: it sits in addresses, so lower-case letters, digits and hyphens. */
export const CALENDAR_KEY = /^[a-z0-9][a-z0-9-]{1,40}$/;

export class SaveCalendarDto {
  @ApiPropertyOptional({ example: 'Middlesbrough 2026–28' }) @MayBeOmitted() @IsOneLine() @IsString() @Length(1, 200) name?: string;

  @ApiProperty({
    description: 'Academic years, each with its terms and their breaks (YYYY-MM-DD, inclusive)',
    example: [{ label: '2026/27', terms: [{ name: 'autumn', starts: '2026-09-02', ends: '2026-12-18', breaks: [{ name: 'October half-term', starts: '2026-10-26', ends: '2026-10-30' }] }] }],
  })
  @IsArray()
  years: AcademicCalendar['years'];
}

export class CreateCalendarDto extends SaveCalendarDto {
  @ApiProperty({ example: 'middlesbrough' }) @IsString() @Matches(CALENDAR_KEY) key: string;
  @ApiProperty({ enum: ['england', 'scotland'] }) @IsIn(['england', 'scotland']) nation: AcademicCalendar['nation'];
}
