import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const snapshot = process.env.CUG_TEST_PGLITE_SNAPSHOT;
  if (snapshot) rmSync(snapshot, { force: true });
}
