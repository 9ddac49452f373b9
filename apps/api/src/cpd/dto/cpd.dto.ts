import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsDateString, IsIn, IsInt, IsISO8601, IsString, IsUrl, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { CPD_CHANNELS, CPD_FORMATS, CPD_SUBJECTS, cpdUnits, type CpdBooking, type CpdCourse, type CpdSession } from '#domain';
import { PageQuery } from '../../common/pagination.js';
import { IsNumberWithPlaces, MayBeOmitted } from '../../common/validation.js';

export class CreateCourseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() programmeId: string;
  @ApiProperty({ example: 'Practical physics for non-specialists' }) @IsString() @Length(1, 300) title: string;
  @ApiProperty({ enum: CPD_SUBJECTS }) @IsIn(CPD_SUBJECTS) subject: (typeof CPD_SUBJECTS)[number];
  @ApiProperty({ enum: CPD_FORMATS }) @IsIn(CPD_FORMATS) format: (typeof CPD_FORMATS)[number];
  @ApiProperty({ example: 6, description: 'Hours of CPD a participant gains (1 CPD unit = 5 hours)' }) @IsNumberWithPlaces(2) @Min(0.25) @Max(200) hours: number;
  @ApiProperty({ example: 15000, description: 'Cost of one place to the partnership budget, in pence' }) @IsInt() @Min(0) @Max(10_000_000) costPence: number;
  @ApiPropertyOptional({ example: 'National STEM Learning Centre' }) @MayBeOmitted() @IsString() @Length(1, 200) provider?: string;
}

/** A course's details; what is left out stays as it is. Places already booked keep their cost. */
export class UpdateCourseDto extends PartialType(OmitType(CreateCourseDto, ['programmeId'] as const), { skipNullProperties: false }) {}

export class CreateSessionDto {
  @ApiProperty({ example: '2027-02-10T09:30:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2027-02-10T15:30:00Z' }) @IsISO8601({ strict: true }) endsAt: string;
  @ApiPropertyOptional({ example: 'Teesside University, Middlesbrough' }) @MayBeOmitted() @IsString() @Length(1, 300) venue?: string;
  @ApiPropertyOptional({ example: 'https://meet.example.org/physics' }) @MayBeOmitted() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) onlineUrl?: string;
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(10_000) capacity: number;
  @ApiPropertyOptional({ example: 48, description: 'Hours a waitlisted person has to take up an offered place' }) @MayBeOmitted() @IsInt() @Min(1) @Max(720) offerHours?: number;
}

/** Where and when the session now is, all of it: a venue or an online link left out is no longer the session's. */
export class MoveSessionDto {
  @ApiProperty({ example: '2027-02-11T09:30:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2027-02-11T15:30:00Z' }) @IsISO8601({ strict: true }) endsAt: string;
  @ApiPropertyOptional({ example: 'Teesside University, Middlesbrough' }) @MayBeOmitted() @IsString() @Length(1, 300) venue?: string;
  @ApiPropertyOptional({ example: 'https://meet.example.org/physics' }) @MayBeOmitted() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) onlineUrl?: string;
}

export class CancelSessionDto {
  @ApiProperty({ example: 'The trainer is ill; the course runs again in March' }) @IsString() @Length(1, 500) reason: string;
}

export class ListCoursesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @MayBeOmitted() @IsUUID() programmeId?: string;
}

export class CreateBookingDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId: string;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ example: 'Supply cover fell through' }) @MayBeOmitted() @IsString() @Length(1, 500) reason?: string;
}

export class AttendedHours {
  @ApiProperty({ format: 'uuid' }) @IsUUID() bookingId: string;
  @ApiProperty({ example: 3.5 }) @IsNumberWithPlaces(2) @Min(0.25) @Max(200) hours: number;
}

export class RegisterDto {
  @ApiProperty({ type: [String], description: 'Booking ids of those who came' })
  @IsArray()
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  attended: string[];

  @ApiProperty({ type: [String], description: 'Booking ids of those who did not' })
  @IsArray()
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  noShow: string[];

  @ApiPropertyOptional({ type: () => [AttendedHours], description: "Hours for those who attended but not for the whole course (the course's hours otherwise)" })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => AttendedHours)
  hours?: AttendedHours[];
}

const OTHER_CHANNELS = CPD_CHANNELS.filter((c) => c !== 'central');

export class CreateCpdRecordDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId: string;
  @ApiProperty({ enum: OTHER_CHANNELS, description: 'Centrally booked CPD is recorded through the register' }) @IsIn(OTHER_CHANNELS) channel: (typeof CPD_CHANNELS)[number];
  @ApiProperty({ enum: CPD_SUBJECTS }) @IsIn(CPD_SUBJECTS) subject: (typeof CPD_SUBJECTS)[number];
  @ApiProperty({ example: 'Coaching: planning practical maths' }) @IsString() @Length(1, 300) title: string;
  @ApiProperty({ example: 1.5 }) @IsNumberWithPlaces(2) @Min(0.25) @Max(200) hours: number;
  @ApiProperty({ example: '2026-11-12' }) @IsDateString({ strict: true }) @Length(10, 10) occurredOn: string;
  @ApiPropertyOptional({ example: 'Educational lead' }) @MayBeOmitted() @IsString() @Length(1, 200) provider?: string;
}

export const courseResponse = (c: CpdCourse) => ({
  id: c.id,
  programmeId: c.programmeId,
  title: c.title,
  subject: c.subject,
  format: c.format,
  hours: c.hours,
  cpdUnits: cpdUnits(c.hours),
  costPence: c.costPence,
  provider: c.provider,
  createdAt: c.createdAt.toISOString(),
});

export const sessionResponse = (s: CpdSession, waitlisted = 0) => ({
  id: s.id,
  courseId: s.courseId,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  venue: s.venue,
  onlineUrl: s.onlineUrl,
  capacity: s.capacity,
  placesTaken: s.placesTaken,
  placesLeft: s.capacity - s.placesTaken,
  waitlisted,
  offerHours: s.offerHours,
  cancelledAt: s.cancelledAt?.toISOString() ?? null,
  cancelledReason: s.cancelledReason,
});

export const bookingResponse = (b: CpdBooking) => ({
  id: b.id,
  sessionId: b.sessionId,
  personId: b.personId,
  schoolId: b.schoolId,
  partnershipId: b.partnershipId,
  status: b.status,
  statusReason: b.statusReason,
  offerExpiresAt: b.offerExpiresAt?.toISOString() ?? null,
  costPence: b.costPence,
  createdAt: b.createdAt.toISOString(),
  updatedAt: b.updatedAt.toISOString(),
});
