import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { CONSENT_METHODS, CONSENT_PURPOSES, type ConsentMethod, type ConsentPurpose } from '#domain';
import { MayBeOmitted } from '../common/validation.js';

export class RecordConsentDto {
  @ApiProperty({ enum: CONSENT_PURPOSES, description: 'What the person agrees to, or withdraws from' }) @IsIn(CONSENT_PURPOSES) purpose: ConsentPurpose;
  @ApiProperty({ description: 'true: agreed; false: withdrawn (takes effect at once, for messages already planned too)' }) @IsBoolean() granted: boolean;
  @ApiPropertyOptional({ enum: CONSENT_METHODS, description: 'How they told us; "manager" when someone records it on their behalf (the default for a scoped token, "api" for an admin token)' })
  @MayBeOmitted()
  @IsIn(CONSENT_METHODS)
  how?: ConsentMethod;
}

export class ExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'html'], description: 'html: a readable page (also chosen by Accept: text/html)' }) @MayBeOmitted() @IsIn(['json', 'html']) format?: 'json' | 'html';
}
