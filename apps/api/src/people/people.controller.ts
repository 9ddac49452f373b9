import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Person, Principal } from '#domain';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { CreatePersonDto, ListPeopleQuery, personResponse, UpdatePersonDto } from './dto/person.dto.js';
import { PeopleService } from './people.service.js';

@ApiTags('people')
@ApiBearerAuth()
@Controller('api/v1/people')
@Roles('programme_manager', 'educational_lead', 'school_contact')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Post()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePersonDto) {
    return this.answer(await this.people.create(principal, body));
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListPeopleQuery) {
    const page = await this.people.list(principal, query);
    const consents = await this.people.consentsOf(page.items);
    return { ...page, items: page.items.map((p) => personResponse(p, consents.get(p.id))) };
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.answer(await this.people.get(principal, id));
  }

  @Patch(':id')
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdatePersonDto) {
    return this.answer(await this.people.update(principal, id, body));
  }

  private async answer(person: Person) {
    return personResponse(person, (await this.people.consentsOf([person])).get(person.id));
  }
}
