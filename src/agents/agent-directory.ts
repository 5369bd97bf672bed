import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';

/** An OTOBO agent (`users` table): the "who" behind create_by/change_by. */
export interface Agent {
  readonly id: number;
  readonly login: string;
  readonly firstName: string;
  readonly lastName: string;
}

export class AgentDirectory {
  constructor(private readonly db: Db) {}

  async getByIds(ids: readonly number[]): Promise<Agent[]> {
    if (ids.length === 0) return [];
    return this.db
      .select({ id: users.id, login: users.login, firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(inArray(users.id, [...ids]));
  }
}
