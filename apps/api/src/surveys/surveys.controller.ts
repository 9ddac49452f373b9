import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsUUID } from 'class-validator';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { SurveysService } from './surveys.service.js';
import { MayBeOmitted } from '../common/validation.js';

const READERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;
const CPD_INSTRUMENTS = ['cpd-feedback', 'cpd-impact'] as const;

export class FeedbackQuery {
  @ApiPropertyOptional({ enum: CPD_INSTRUMENTS, default: 'cpd-feedback', description: 'The post-session feedback form, or the impact survey a term later' })
  @MayBeOmitted()
  @IsIn(CPD_INSTRUMENTS)
  instrument?: (typeof CPD_INSTRUMENTS)[number];
}

export class EnrichmentFeedbackInvitationDto {
  @ApiProperty({ type: [String], description: 'Staff of the schools that took part, to be asked for their feedback' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  personIds: string[];
}

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('api/v1')
@Roles(...READERS)
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Get('survey-instruments')
  @ApiOkResponse({ description: 'The built-in instruments: post-CPD feedback, the later impact survey, enrichment feedback' })
  instruments() {
    return this.surveys.instruments();
  }

  @Get('survey-instruments/:key')
  @ApiOkResponse({ description: 'An instrument: its items, each with its type, scale or options, whether required, and its evaluation level' })
  instrument(@Param('key') key: string) {
    return this.surveys.instrument(key);
  }

  @Get('sessions/:id/feedback')
  @ApiOkResponse({ description: "A session's survey results: invitations, responses, response rate and per-item distributions, from the schools the token may see" })
  sessionFeedback(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: FeedbackQuery) {
    return this.surveys.sessionFeedback(principal, id, query.instrument ?? 'cpd-feedback');
  }

  @Get('courses/:id/feedback')
  @ApiOkResponse({ description: "A course's survey results over all its sessions" })
  courseFeedback(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: FeedbackQuery) {
    return this.surveys.courseFeedback(principal, id, query.instrument ?? 'cpd-feedback');
  }

  @Post('enrichment-events/:id/feedback-invitations')
  @HttpCode(202)
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  @ApiOkResponse({ description: 'How many were invited (the emails follow from the worker), and who was not, with why' })
  inviteToEnrichmentFeedback(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: EnrichmentFeedbackInvitationDto) {
    return this.surveys.inviteToEnrichmentFeedback(principal, id, body.personIds);
  }

  @Get('people/:id/survey-responses')
  @ApiOkResponse({ description: "A person's survey invitations and their answers" })
  personResponses(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.surveys.personResponses(principal, id);
  }
}
