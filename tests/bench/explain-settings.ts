import type postgres from 'postgres';

/** auto_explain for one database's new sessions: how `npm run bench:explain` captures our server's plans. */
const AUTO_EXPLAIN: Readonly<Record<string, string>> = {
  session_preload_libraries: 'auto_explain',
  'auto_explain.log_min_duration': '0',
  'auto_explain.log_analyze': 'on',
  'auto_explain.log_buffers': 'on',
  'auto_explain.log_timing': 'on',
  'auto_explain.log_format': 'text',
};

/** Undoes what `enableAutoExplain` set (also run by `npm run bench`, in case an earlier run was killed). */
export async function resetAutoExplain(admin: postgres.Sql, database: string): Promise<void> {
  for (const name of Object.keys(AUTO_EXPLAIN)) await admin.unsafe(`ALTER DATABASE ${database} RESET ${name}`);
}

export async function enableAutoExplain(admin: postgres.Sql, database: string): Promise<void> {
  for (const [name, value] of Object.entries(AUTO_EXPLAIN)) await admin.unsafe(`ALTER DATABASE ${database} SET ${name} = '${value}'`);
}
