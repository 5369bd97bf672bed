/**
 * The hashing pool's worker: runs the slow password work (bcrypt, MD5-crypt, DES crypt) on a worker
 * thread, so the event loop keeps serving requests meanwhile.
 */
import { hashPassword } from './otobo-bcrypt';
import { verifyPassword } from './verify';

export type HashTask =
  | { readonly op: 'hash'; readonly password: string; readonly cost: number }
  | { readonly op: 'verify'; readonly password: string; readonly stored: string };

export default function runHashTask(task: HashTask): Promise<string | boolean> {
  return task.op === 'hash' ? hashPassword(task.password, task.cost) : verifyPassword(task.password, task.stored);
}
