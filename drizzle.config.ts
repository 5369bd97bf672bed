import { defineConfig } from 'drizzle-kit';

// drizzle-kit owns only the fixed schema in src/db/schema.ts; Map columns added by an
// administrator are created by `npm run db:add-map-columns`, never by a generated migration.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
