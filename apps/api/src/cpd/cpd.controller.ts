import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { CpdService, recordResponse } from './cpd.service.js';
import {
  bookingResponse,
  CancelBookingDto,
  CancelSessionDto,
  courseResponse,
  CreateBookingDto,
  CreateCourseDto,
  CreateCpdRecordDto,
  CreateSessionDto,
  ListCoursesQuery,
  MoveSessionDto,
  RegisterDto,
  sessionResponse,
  UpdateCourseDto,
} from './dto/cpd.dto.js';

const READERS = ['programme_manager', 'educational_lead', 'school_contact'] as const;

@ApiTags('cpd')
@ApiBearerAuth()
@Controller('api/v1')
export class CpdController {
  constructor(private readonly cpd: CpdService) {}

  @Post('courses')
  @Roles('programme_manager')
  async createCourse(@CurrentPrincipal() principal: Principal, @Body() body: CreateCourseDto) {
    return courseResponse(await this.cpd.createCourse(principal, body));
  }

  @Get('courses')
  @Roles(...READERS)
  async courses(@CurrentPrincipal() principal: Principal, @Query() query: ListCoursesQuery) {
    const page = await this.cpd.courses(principal, query);
    return { ...page, items: page.items.map(courseResponse) };
  }

  @Get('courses/:id')
  @Roles(...READERS)
  async course(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return courseResponse(await this.cpd.course(principal, id));
  }

  @Patch('courses/:id')
  @Roles('programme_manager')
  async updateCourse(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCourseDto) {
    return courseResponse(await this.cpd.updateCourse(principal, id, body));
  }

  @Post('courses/:id/sessions')
  @Roles('programme_manager')
  async createSession(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateSessionDto) {
    return sessionResponse(await this.cpd.createSession(principal, id, body));
  }

  @Get('courses/:id/sessions')
  @Roles(...READERS)
  async sessions(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.cpd.sessions(principal, id)).map((s) => sessionResponse(s));
  }

  @Get('sessions/:id')
  @Roles(...READERS)
  async session(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const { session, waitlisted } = await this.cpd.session(principal, id);
    return sessionResponse(session, waitlisted);
  }

  @Post('sessions/:id/move')
  @Roles('programme_manager')
  @HttpCode(200)
  async moveSession(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: MoveSessionDto) {
    return sessionResponse(await this.cpd.moveSession(principal, id, body));
  }

  @Post('sessions/:id/cancel')
  @Roles('programme_manager')
  @HttpCode(200)
  async cancelSession(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CancelSessionDto) {
    return sessionResponse(await this.cpd.cancelSession(principal, id, body));
  }

  @Post('sessions/:id/bookings')
  @Roles(...READERS)
  async book(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateBookingDto) {
    return bookingResponse(await this.cpd.book(principal, id, body.personId));
  }

  @Get('sessions/:id/bookings')
  @Roles(...READERS)
  async bookings(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return (await this.cpd.bookings(principal, id)).map(bookingResponse);
  }

  @Post('sessions/:id/register')
  @Roles('programme_manager', 'educational_lead')
  @HttpCode(200)
  register(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RegisterDto) {
    return this.cpd.register(principal, id, body);
  }

  @Get('bookings/:id')
  @Roles(...READERS)
  async booking(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return bookingResponse(await this.cpd.booking(principal, id));
  }

  @Post('bookings/:id/cancel')
  @Roles(...READERS)
  @HttpCode(200)
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CancelBookingDto) {
    return bookingResponse(await this.cpd.act(principal, id, { type: 'cancel', reason: body.reason?.trim() }));
  }

  @Post('bookings/:id/accept')
  @Roles(...READERS)
  @HttpCode(200)
  async accept(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return bookingResponse(await this.cpd.act(principal, id, { type: 'accept' }));
  }

  @Post('bookings/:id/decline')
  @Roles(...READERS)
  @HttpCode(200)
  async decline(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return bookingResponse(await this.cpd.act(principal, id, { type: 'decline' }));
  }

  @Post('cpd-records')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  async recordCpd(@CurrentPrincipal() principal: Principal, @Body() body: CreateCpdRecordDto) {
    return recordResponse(await this.cpd.recordCpd(principal, body));
  }

  @Get('people/:id/cpd')
  @Roles(...READERS)
  personCpd(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.cpd.personCpd(principal, id);
  }

  @Get('schools/:id/cpd')
  @Roles(...READERS)
  schoolCpd(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.cpd.schoolCpd(principal, id);
  }
}
