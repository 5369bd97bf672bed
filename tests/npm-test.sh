#!/bin/sh
# `npm test [-- <jest options>]`: the typed documents (codegen), the type check, then Jest with the
# given options. A wrapper only so that `npm test -- --help` answers at once instead of after both.
set -e
case " $* " in
  *" --help "* | *" -h "*)
    echo 'npm test [-- <jest options>]: codegen (tests/generated/), tsc --noEmit, then jest with the options.'
    echo 'PGlite by default; TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres runs every test on PostgreSQL.'
    echo "Jest's options:"
    exec jest --help
    ;;
esac
npm run codegen
npm run typecheck
exec jest "$@"
