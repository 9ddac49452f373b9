import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { APP_CONFIG, Clock, VirtualClock, type AppConfig } from '#domain';
import { Roles } from '../auth/auth.decorators.js';

export class SetClockDto {
  @ApiProperty({ example: '2027-01-05T08:00:00Z', description: 'The instant the virtual clock should read' })
  @IsISO8601({ strict: true, strictSeparator: true })
  now: string;
}

/** Moves the shared virtual clock (CLOCK=virtual only), so a school term can pass in seconds. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/clock')
@Roles('admin')
export class ClockController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Get()
  async read(): Promise<{ mode: string; now: string }> {
    return { mode: this.config.clock, now: (await this.clock.now()).toISOString() };
  }

  @Post()
  @HttpCode(200)
  async set(@Body() body: SetClockDto): Promise<{ mode: string; now: string }> {
    if (!(this.clock instanceof VirtualClock)) throw new NotFoundException('The clock can only be moved when the platform runs with CLOCK=virtual.');
    const instant = new Date(body.now);
    if (Number.isNaN(instant.getTime())) throw new NotFoundException('That is not an instant.');
    return { mode: 'virtual', now: (await this.clock.set(instant)).toISOString() };
  }
}
