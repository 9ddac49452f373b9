import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import type { Response } from 'express';
import { NotFound } from '#domain';
import { isNotificationKind, NotificationKinds, renderNotification, TEMPLATE_SAMPLES, TRANSACTIONAL_KINDS } from '#notifications';
import { Roles } from '../auth/auth.decorators.js';
import { MayBeOmitted } from '../common/validation.js';

export class PreviewQuery {
  @ApiPropertyOptional({ enum: ['json', 'html', 'text'], default: 'json' }) @MayBeOmitted() @IsIn(['json', 'html', 'text']) format?: 'json' | 'html' | 'text';
  @ApiPropertyOptional({ example: 'Aspire to STEM' }) @MayBeOmitted() @Matches(/^[^<>]{1,100}$/) programmeName?: string;
  @ApiPropertyOptional({ example: '#7b2d8b' }) @MayBeOmitted() @Matches(/^#[0-9a-fA-F]{6}$/) brandColour?: string;
}

/** Every template rendered with sample data, as it would reach someone. */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('api/v1/templates')
@Roles('programme_manager', 'educational_lead')
export class TemplatesController {
  @Get()
  list() {
    return Object.values(NotificationKinds).map((key) => ({ key, transactional: TRANSACTIONAL_KINDS.has(key) }));
  }

  @Get(':key/preview')
  preview(@Param('key') key: string, @Query() query: PreviewQuery, @Res({ passthrough: true }) res: Response) {
    if (!isNotificationKind(key)) throw new NotFound('Template', key);
    const message = renderNotification(key, {
      ...TEMPLATE_SAMPLES[key],
      publicBaseUrl: 'https://stemflow.example.org',
      programmeName: query.programmeName,
      brandColour: query.brandColour,
      unsubscribeUrl: TRANSACTIONAL_KINDS.has(key) ? undefined : 'https://stemflow.example.org/u/sample',
    });
    if (query.format === 'html') return res.type('text/html').send(message.html);
    if (query.format === 'text') return res.type('text/plain').send(message.text);
    return { key, subject: message.subject, text: message.text, html: message.html, calendar: message.calendar?.content ?? null };
  }
}
