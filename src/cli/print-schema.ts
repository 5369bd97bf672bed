import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load';
import { buildSchema, printSortedSchema } from '../schema/build-schema';

/** Writes schema/schema.graphql from the shipped defaults only (no local file, no environment). */
const target = resolve(process.argv[2] ?? 'schema/schema.graphql');
writeFileSync(target, printSortedSchema(buildSchema(loadConfig({ localFile: null, env: {} }))));
process.stdout.write(`wrote ${target}\n`);
