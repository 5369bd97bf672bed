import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type ConfigSources } from '../config/load';
import { buildSchema, printSortedSchema } from '../schema/build-schema';
import { answerHelp } from './help';

const USAGE = `
npm run schema:print [-- [--local | --config <file>] [<output> | -]]   (compiled: node dist/src/cli/print-schema.js …)

Prints the GraphQL schema (SDL, sorted).
  (no option)      from the shipped defaults only, into schema/schema.graphql: the committed contract that
                   clients and the tests' codegen use (a test fails while it is stale)
  --local          from the configuration the server would use: config/local.json (or CONFIG_FILE) and the
                   environment (CONFIG__…), so it has your Map's fields and Selections; to stdout
  --config <file>  from the defaults, that file and the environment; to stdout
  <output> | -     write there instead (- is stdout)
`;

function main(): void {
  answerHelp(USAGE);
  const { values, positionals } = parseArgs({
    options: { local: { type: 'boolean' }, config: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1 || (values.local && values.config !== undefined)) throw new Error(USAGE.trim());
  const sources: ConfigSources =
    values.config !== undefined
      ? { localFile: values.config, env: process.env }
      : values.local
        ? { env: process.env }
        : { localFile: null, env: {} };
  const sdl = printSortedSchema(buildSchema(loadConfig(sources)));
  const output = positionals[0] ?? (values.local || values.config !== undefined ? '-' : 'schema/schema.graphql');
  if (output === '-') return void process.stdout.write(sdl);
  writeFileSync(resolve(output), sdl);
  process.stdout.write(`wrote ${resolve(output)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
