import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { APP_CONFIG, Clock, Queues, TICK_JOB, UnitOfWork, VirtualClock, type AppConfig } from '#domain';
import { Roles } from '../auth/auth.decorators.js';

export class SetClockDto {
  @ApiProperty({ example: '2027-01-05T08:00:00Z', description: 'The instant the virtual clock should read' })
  @IsISO8601({ strict: true, strictSeparator: true })
  now: string;
}

/** Moves the shared virtual clock (CLOCK=virtual only), so a school term can pass in seconds. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/clock')
@Roles('admin')
export class ClockController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    @InjectQueue(Queues.Schedules) private readonly schedules: Queue,
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
    const clock = this.clock;
    const now = await this.unitOfWork.run((tx) => clock.set(instant, tx.manager));
    // Whatever fell due in the jump is claimed at once rather than at the next minute's tick.
    await this.schedules.add(TICK_JOB, {}, { jobId: `tick-after-clock-move-${Date.now()}`, removeOnComplete: true, removeOnFail: 100 });
    return { mode: 'virtual', now: now.toISOString() };
  }
}
