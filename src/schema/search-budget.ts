import { badInput } from '../errors';

/**
 * Searches (and history reads) one request may run. A list field nested in a list (each customer's
 * users, each user's history) runs once per parent, so a small query could otherwise fan out into
 * thousands of statements; the budget bounds that whatever the nesting.
 */
export class SearchBudget {
  private used = 0;

  constructor(private readonly max: number) {}

  spend(): void {
    this.used += 1;
    if (this.used > this.max) {
      throw badInput(
        `This request runs more than ${this.max} searches (limits.maxSearchesPerRequest); ask for fewer nested lists`,
        { reason: 'TOO_MANY_SEARCHES' },
      );
    }
  }
}
