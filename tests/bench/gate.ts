import { isDeepStrictEqual } from 'node:util';
import { authHeaders, type Contestant } from './contestants';
import { seededRandom } from './dataset/random';
import { requestBody, type Workload } from './workloads';

/**
 * The correctness gate: before anything is timed, every contestant answers the same requests and
 * the answers must be equal as JSON. Writes are compared after each contestant has written; their
 * timestamps only need the right format.
 */

export interface Mismatch {
  readonly workload: string;
  readonly variables: Record<string, unknown>;
  readonly answers: Readonly<Record<string, unknown>>;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function ask(contestant: Contestant, workload: Workload, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(contestant.endpoint, { method: 'POST', headers: authHeaders, body: requestBody(workload, variables) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Timestamps are replaced by a marker telling whether they were well-formed. */
function comparable(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer), (key, value: unknown) =>
    key === 'changedAt' && typeof value === 'string' ? (TIMESTAMP.test(value) ? '<timestamp>' : `<malformed ${value}>`) : value,
  );
}

export async function runGate(contestants: readonly Contestant[], list: readonly Workload[], requestsPerWorkload = 50): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const workload of list) {
    const random = seededRandom(4242, workload.name.length);
    for (let i = 0; i < requestsPerWorkload; i += 1) {
      const { variables } = workload.draw(random);
      const answers: Record<string, unknown> = {};
      // In turn, never concurrently: a write is compared after each contestant has made it.
      for (const contestant of contestants) answers[contestant.name] = comparable(await ask(contestant, workload, variables));
      const [first, ...others] = Object.values(answers);
      const ok = others.every((other) => isDeepStrictEqual(first, other)) && isSuccess(first);
      if (!ok) mismatches.push({ workload: workload.name, variables, answers });
    }
  }
  return mismatches;
}

/** Equal errors are no pass either: the gate wants data. */
function isSuccess(answer: unknown): boolean {
  const { status, body } = answer as { status: number; body: { data?: unknown; errors?: unknown } };
  return status === 200 && typeof body === 'object' && body !== null && body.errors === undefined && body.data != null;
}

/** A readable account of the first few mismatches. */
export function describeMismatches(mismatches: readonly Mismatch[], limit = 3): string {
  return mismatches
    .slice(0, limit)
    .map((m) => {
      const answers = Object.entries(m.answers).map(([name, answer]) => `  ${name}: ${JSON.stringify(answer).slice(0, 1500)}`);
      return `${m.workload} ${JSON.stringify(m.variables)}\n${answers.join('\n')}${firstDifference(m.answers)}`;
    })
    .join('\n\n');
}

/** Where the first two answers part, as a JSON path. */
function firstDifference(answers: Readonly<Record<string, unknown>>): string {
  const [a, b] = Object.values(answers);
  const path = diffPath(a, b, '$');
  return path ? `\n  first difference at ${path}` : '';
}

function diffPath(a: unknown, b: unknown, path: string): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = diffPath((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return path;
}
