import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the tests (and the pattern frontend teams follow): operations written with
 * `graphql(\`…\`)` are checked against schema/schema.graphql and get result and variable types.
 */
const config: CodegenConfig = {
  schema: './schema/schema.graphql',
  documents: ['tests/**/*.ts', '!tests/generated/**'],
  generates: {
    './tests/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, useTypeImports: true, scalars: { DateTime: 'string' } },
    },
  },
  ignoreNoDocuments: true,
};

export default config;
