import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCHOOL_PHASES, SCHOOL_STATUSES, type School } from '#domain';

export class SchoolResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() urn: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SCHOOL_PHASES }) phase: string;
  @ApiPropertyOptional({ nullable: true, type: String }) establishmentType: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) localAuthority: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) postcode: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) pupils: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) easting: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) northing: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) latitude: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) longitude: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) contactName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) contactEmail: string | null;
  @ApiProperty({ enum: SCHOOL_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) trust: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) fsmPercent: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) opportunityArea: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(school: School): SchoolResponse {
    return {
      ...school,
      createdAt: school.createdAt.toISOString(),
      updatedAt: school.updatedAt.toISOString(),
    };
  }
}

export class ImportRowError {
  @ApiProperty({ description: 'Line in the file (the header is line 1)' }) line: number;
  @ApiProperty() message: string;
}

export class ImportChange {
  @ApiProperty({ description: 'Line in the file (the header is line 1)' }) line: number;
  @ApiProperty() urn: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['created', 'updated'] }) outcome: 'created' | 'updated';
  @ApiProperty({ type: [String], description: 'For an update, the fields it changes' }) changed: string[];
}

export class ImportReport {
  @ApiProperty({ description: 'Schools created (in a dry run: that would be)' }) created: number;
  @ApiProperty() updated: number;
  @ApiProperty({ description: 'Rows that matched the stored school exactly' }) unchanged: number;
  @ApiProperty({ type: [ImportRowError] }) errors: ImportRowError[];
  @ApiPropertyOptional({ description: 'Present and true when nothing was written: what the import would do' }) dryRun?: boolean;
  @ApiPropertyOptional({ type: [ImportChange], description: 'In a dry run, each row that would create or update a school' }) changes?: ImportChange[];
}
