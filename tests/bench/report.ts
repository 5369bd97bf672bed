import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Measurement } from './measure';
import { termClass } from './workloads';

export interface ResultRow extends Omit<Measurement, 'tags'> {
  /** req/s relative to the baseline's for the same workload (null without a baseline). */
  readonly ratio: number | null;
}

export interface TermRow {
  readonly contestant: string;
  readonly term: string;
  readonly class: string;
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
}

export interface BenchResults {
  readonly meta: Record<string, unknown>;
  readonly gate: { readonly passed: boolean; readonly requests: number; readonly mismatches: number };
  readonly rows: readonly ResultRow[];
  /** W2 latencies per search term. */
  readonly w2Terms: readonly TermRow[];
}

export function resultRows(measurements: readonly Measurement[]): ResultRow[] {
  return measurements.map(({ tags: _tags, ...m }) => {
    const baseline = measurements.find((b) => b.workload === m.workload && b.contestant === 'baseline');
    return { ...m, ratio: baseline && baseline.reqPerSec > 0 ? m.reqPerSec / baseline.reqPerSec : null };
  });
}

export function termRows(measurements: readonly Measurement[]): TermRow[] {
  return measurements
    .filter((m) => m.workload === 'W2')
    .flatMap((m) => m.tags.map((t) => ({ contestant: m.contestant, term: t.tag, class: termClass(t.tag) ?? '?', requests: t.requests, p50: t.p50, p99: t.p99 })))
    .sort((a, b) => a.term.localeCompare(b.term) || a.contestant.localeCompare(b.contestant));
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
const integer = (value: number) => Math.round(value).toLocaleString('en-US');

const HEADER = ['workload', 'server', 'req/s', '× baseline', 'p50 ms', 'p99 ms', 'server CPU ms/req', 'PG CPU ms/req', 'peak RSS MB', 'non-2xx', 'errors'];

function cells(row: ResultRow): string[] {
  return [
    row.workload,
    row.contestant,
    integer(row.reqPerSec),
    row.ratio === null ? '–' : `${fixed(row.ratio, 2)}×`,
    fixed(row.p50, 1),
    fixed(row.p99, 1),
    fixed(row.serverCpuMsPerReq, 3),
    fixed(row.pgCpuMsPerReq, 3),
    integer(row.peakRssMb),
    String(row.non2xx),
    String(row.errors),
  ];
}

const TERM_HEADER = ['term', 'class', 'server', 'requests', 'p50 ms', 'p99 ms'];
const termCells = (t: TermRow) => [t.term, t.class, t.contestant, String(t.requests), fixed(t.p50, 1), fixed(t.p99, 1)];

function plainTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const align = header.map((_, i) => (i < 2 ? '---' : '---:'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function printableReport(results: BenchResults): string {
  const parts = [plainTable(HEADER, results.rows.map(cells))];
  if (results.w2Terms.length > 0) parts.push(`W2 per term:\n${plainTable(TERM_HEADER, results.w2Terms.map(termCells))}`);
  return parts.join('\n\n');
}

function markdownReport(results: BenchResults): string {
  const meta = Object.entries(results.meta).map(([key, value]) => `- ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const gate = `Correctness gate: ${results.gate.passed ? 'passed' : 'FAILED'} (${results.gate.requests} requests per workload, ${results.gate.mismatches} mismatches)`;
  const parts = ['# Benchmark results', meta.join('\n'), gate, markdownTable(HEADER, results.rows.map(cells))];
  if (results.w2Terms.length > 0) parts.push('## W2 per term', markdownTable(TERM_HEADER, results.w2Terms.map(termCells)));
  return `${parts.join('\n\n')}\n`;
}

/** Writes FILE.json and FILE.md. */
export function writeResults(file: string, results: BenchResults): string[] {
  mkdirSync(dirname(file), { recursive: true });
  const markdown = file.replace(/\.json$/, '') + '.md';
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdown, markdownReport(results));
  return [file, markdown];
}
