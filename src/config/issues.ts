/** A problem found in the configuration, located by its key path (e.g. `CustomerUser.Map[16][5]`). */
export interface ConfigIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export function formatConfigPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Thrown at startup when the configuration is unusable; the message lists every issue, one per line. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${formatConfigPath(i.path)}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
