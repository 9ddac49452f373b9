import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A delivery partnership (hub) of neighbouring schools, 3–10 typically (003_def1d3e673f8defb.txt). */
@Entity('partnerships')
export class Partnership {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  area: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
