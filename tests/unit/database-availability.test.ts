import { DrizzleQueryError } from 'drizzle-orm/errors';
import pino from 'pino';
import { DatabaseAvailability, isDatabaseUnreachable } from '../../src/db/availability';

const driverError = (code: string) => Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code });
const wrapped = (cause: Error) => new DrizzleQueryError('select 1', [], cause);

describe('isDatabaseUnreachable', () => {
  it('recognises connection failures, also wrapped by drizzle', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03']) {
      expect(isDatabaseUnreachable(wrapped(driverError(code)))).toBe(true);
    }
  });

  it('leaves statement failures alone', () => {
    for (const code of ['23505', '42703', '57014', '22P02']) expect(isDatabaseUnreachable(wrapped(driverError(code)))).toBe(false);
    expect(isDatabaseUnreachable(new Error('boom'))).toBe(false);
  });
});

describe('DatabaseAvailability', () => {
  it('refuses at once after an unreachable failure and is available again once the probe succeeds', async () => {
    let answers = false;
    const availability = new DatabaseAvailability({
      probe: async () => {
        if (!answers) throw driverError('ECONNREFUSED');
      },
      logger: pino({ level: 'silent' }),
      retryMs: { first: 10, max: 20 },
    });
    expect(availability.noteFailure(driverError('23505'))).toBe(false);
    expect(availability.available).toBe(true);
    expect(availability.noteFailure(wrapped(driverError('57P01')))).toBe(true);
    expect(() => availability.assertAvailable()).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'DATABASE_UNAVAILABLE', retryable: true }) }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(availability.available).toBe(false);
    answers = true;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(availability.available).toBe(true);
    availability.close();
  });
});
