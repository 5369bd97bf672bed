/**
 * Every command answers `--help` (or `-h`): its usage is printed and the process ends with 0
 * before anything is opened or started.
 */
export function answerHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  process.stdout.write(`${usage.trim()}\n`);
  process.exit(0);
}
