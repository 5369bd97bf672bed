/** Who is asking. Agents (API tokens now; JWTs and customer logins come later) act in a role. */
export type Role = 'admin' | 'reader';

export interface Session {
  readonly role: Role;
  /** Recorded as the author of changes, e.g. `token:ops-dashboard`. */
  readonly label: string;
  /** The OTOBO agent id written to create_by/change_by. */
  readonly agentId: number;
}
