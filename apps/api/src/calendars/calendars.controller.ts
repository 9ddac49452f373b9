import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { NotFound, type Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { CalendarsService } from './calendars.service.js';
import { CALENDAR_KEY, CreateCalendarDto, SaveCalendarDto } from './dto/calendar.dto.js';

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api/v1/calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  list() {
    return this.calendars.list();
  }

  @Get(':key')
  @Roles('programme_manager', 'educational_lead', 'school_contact')
  get(@Param('key') key: string) {
    if (!CALENDAR_KEY.test(key)) throw new NotFound('Academic calendar', key);
    return this.calendars.get(key);
  }

  @Post()
  @Roles('programme_manager')
  create(@Body() body: CreateCalendarDto) {
    return this.calendars.create(body);
  }

  @Put(':key')
  @Roles('programme_manager')
  save(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Body() body: SaveCalendarDto) {
    if (!CALENDAR_KEY.test(key)) throw new NotFound('Academic calendar', key);
    return this.calendars.save(principal, key, body);
  }
}
