import type { Plugin } from 'graphql-yoga';
import type { DatabaseAvailability } from '../db/availability';

/**
 * While the database is known to be down, operations are refused before they queue for a
 * connection: DATABASE_UNAVAILABLE at once instead of a connection attempt per request.
 */
export function refuseWhileDatabaseDown(availability: DatabaseAvailability): Plugin {
  return {
    onContextBuilding() {
      availability.assertAvailable();
    },
  };
}
