import {
  asciiSlug,
  CITIES,
  COMPANY_WORDS,
  FIRST_NAMES,
  LAST_NAMES,
  LEGAL_FORMS,
  TAIL_PREFIXES,
  TAIL_SUFFIXES,
} from './names';
import { pick, randomInt, seededRandom, zipfSampler, type Random } from './random';

/** Bump when the generated data changes, so loaded databases of an older shape are regenerated. */
export const GENERATOR_VERSION = 1;

export type Cell = string | number | null;

/** Rows for one table, produced lazily (a million users never sit in memory as rows). */
export interface TableData {
  readonly table: string;
  readonly columns: readonly string[];
  rows(): Iterable<Cell[]>;
}

const AUDIT = ['create_time', 'create_by', 'change_time', 'change_by'] as const;
const EXTRA_GROUPS = ['support-l1', 'support-l2', 'sales', 'billing', 'hardware', 'software', 'network', 'printing', 'telephony',
  'onboarding', 'facility', 'security', 'hr', 'legal', 'marketing', 'purchasing', 'logistics', 'quality', 'training', 'management'];
const SERVICES = 30;
/** groups_table already holds OTOBO's three standard groups (ids 1–3, from the seed migration). */
const FIRST_EXTRA_GROUP_ID = 4;

/** A timestamp(0) literal between 2020 and 2025; `after` keeps change_time ≥ create_time. */
function timestamp(random: Random, after = Date.UTC(2020, 0, 1)): string {
  const end = Date.UTC(2025, 11, 31);
  return new Date(after + random() * (end - after)).toISOString().slice(0, 19).replace('T', ' ');
}

function auditCells(random: Random): Cell[] {
  const created = timestamp(random);
  return [created, 1, timestamp(random, Date.parse(`${created.replace(' ', 'T')}Z`)), 1];
}

function validity(random: Random): number {
  const r = random();
  return r < 0.92 ? 1 : r < 0.97 ? 2 : 3;
}

function digits(random: Random, count: number): string {
  let text = String(1 + randomInt(random, 9));
  while (text.length < count) text += String(randomInt(random, 10));
  return text;
}

function phone(random: Random): string {
  return `+49 ${digits(random, 2 + randomInt(random, 3))} ${digits(random, 6 + randomInt(random, 3))}`;
}

/** `base`, then base2, base3…: bases never contain digits, so the results never collide. */
function uniqueNamer(separator = ''): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}${separator}${count}`;
  };
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(random, i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * The data set for `users` customer users and seed `seed`. Each table draws from its own random
 * stream, so a table's rows depend only on the seed and the user count.
 */
export class Dataset {
  readonly companyIds: string[] = [];
  private readonly logins: string[] = [];

  constructor(
    readonly users: number,
    readonly seed: number,
  ) {}

  get companyCount(): number {
    return Math.max(1, Math.round(this.users / 50));
  }

  /** In load order: companies, users (which fill the login list), then the rows referring to them. */
  tables(): TableData[] {
    return [this.companies(), this.customerUsers(), this.userCustomers(), this.groups(), this.groupUsers(), this.services(), this.serviceUsers()];
  }

  private companies(): TableData {
    return {
      table: 'customer_company',
      columns: ['customer_id', 'name', 'street', 'zip', 'city', 'country', 'url', 'comments', 'valid_id', ...AUDIT],
      rows: () => this.companyRows(),
    };
  }

  private *companyRows(): Iterable<Cell[]> {
    const random = seededRandom(this.seed, 1);
    const uniqueName = uniqueNamer(' ');
    const uniqueId = uniqueNamer('-');
    this.companyIds.length = 0;
    for (let i = 0; i < this.companyCount; i += 1) {
      const word = pick(random, COMPANY_WORDS);
      const base = `${pick(random, LAST_NAMES)} ${word} ${pick(random, LEGAL_FORMS)}`;
      const name = uniqueName(base);
      const id = uniqueId(asciiSlug(base));
      this.companyIds.push(id);
      const city = pick(random, CITIES);
      const valid = random() < 0.97 ? 1 : 2;
      yield [id, name, `${word}straße ${1 + randomInt(random, 200)}`, digits(random, 5), city, 'Deutschland', `https://${id}.de`, null, valid, ...auditCells(random)];
    }
  }

  private customerUsers(): TableData {
    return {
      table: 'customer_user',
      columns: ['login', 'email', 'customer_id', 'pw', 'title', 'first_name', 'last_name', 'phone', 'fax', 'mobile', 'street', 'zip',
        'city', 'country', 'comments', 'valid_id', ...AUDIT],
      rows: () => this.userRows(),
    };
  }

  private *userRows(): Iterable<Cell[]> {
    const random = seededRandom(this.seed, 2);
    const firstName = zipfSampler(FIRST_NAMES.length, 0.9);
    const lastName = zipfSampler(LAST_NAMES.length, 1.0);
    const company = zipfSampler(this.companyIds.length, 0.5);
    // Company ranks in shuffled order, so the big companies are spread over the list.
    const companies = shuffled(random, this.companyIds);
    const uniqueLogin = uniqueNamer();
    this.logins.length = 0;
    for (let i = 0; i < this.users; i += 1) {
      const first = FIRST_NAMES[firstName(random)]!;
      // A fifth of the users carry a rare compound surname, so that rare terms exist at every scale.
      const last = random() < 0.2 ? pick(random, TAIL_PREFIXES) + pick(random, TAIL_SUFFIXES) : LAST_NAMES[lastName(random)]!;
      const login = uniqueLogin(`${asciiSlug(first)}.${asciiSlug(last)}`);
      this.logins.push(login);
      const customerId = companies[company(random)]!;
      const title = random() < 0.15 ? pick(random, ['Dr.', 'Prof.', 'Dipl.-Ing.']) : null;
      const mobile = random() < 0.4 ? phone(random) : null;
      yield [login, `${login}@${customerId}.de`, customerId, null, title, first, last, random() < 0.85 ? phone(random) : null, null, mobile,
        `${pick(random, LAST_NAMES)}weg ${1 + randomInt(random, 120)}`, digits(random, 5), pick(random, CITIES), 'Deutschland', null,
        validity(random), ...auditCells(random)];
    }
  }

  /** ~0.3 extra customers per user (one may repeat the primary, as OTOBO allows). */
  private userCustomers(): TableData {
    const rows = function* (this: Dataset): Iterable<Cell[]> {
      const random = seededRandom(this.seed, 3);
      for (const login of this.logins) {
        const r = random();
        const count = r < 0.22 ? 1 : r < 0.26 ? 2 : 0;
        for (const id of this.distinct(random, count, this.companyIds)) yield [login, id, ...auditCells(random)];
      }
    };
    return { table: 'customer_user_customer', columns: ['user_id', 'customer_id', ...AUDIT], rows: rows.bind(this) };
  }

  private groups(): TableData {
    const rows = function* (this: Dataset): Iterable<Cell[]> {
      const random = seededRandom(this.seed, 4);
      for (const [i, name] of EXTRA_GROUPS.entries()) yield [FIRST_EXTRA_GROUP_ID + i, name, null, 1, ...auditCells(random)];
    };
    return { table: 'groups_table', columns: ['id', 'name', 'comments', 'valid_id', ...AUDIT], rows: rows.bind(this) };
  }

  /** ~2 group memberships per user (ro or rw). */
  private groupUsers(): TableData {
    const groupIds = EXTRA_GROUPS.map((_, i) => FIRST_EXTRA_GROUP_ID + i);
    const rows = function* (this: Dataset): Iterable<Cell[]> {
      const random = seededRandom(this.seed, 5);
      for (const login of this.logins) {
        const count = 1 + (random() < 0.5 ? 1 : 0) + (random() < 0.5 ? 1 : 0);
        for (const id of this.distinct(random, count, groupIds)) yield [login, id, random() < 0.6 ? 'ro' : 'rw', 1, ...auditCells(random)];
      }
    };
    return { table: 'group_customer_user', columns: ['user_id', 'group_id', 'permission_key', 'permission_value', ...AUDIT], rows: rows.bind(this) };
  }

  private services(): TableData {
    const rows = function* (this: Dataset): Iterable<Cell[]> {
      const random = seededRandom(this.seed, 6);
      for (let id = 1; id <= SERVICES; id += 1) yield [id, `Service ${String(id).padStart(2, '0')}`, 1, null, ...auditCells(random)];
    };
    return { table: 'service', columns: ['id', 'name', 'valid_id', 'comments', ...AUDIT], rows: rows.bind(this) };
  }

  /** ~1.5 services per user. */
  private serviceUsers(): TableData {
    const serviceIds = Array.from({ length: SERVICES }, (_, i) => i + 1);
    const rows = function* (this: Dataset): Iterable<Cell[]> {
      const random = seededRandom(this.seed, 7);
      for (const login of this.logins) {
        for (const id of this.distinct(random, random() < 0.5 ? 1 : 2, serviceIds)) yield [login, id, timestamp(random), 1];
      }
    };
    return { table: 'service_customer_user', columns: ['customer_user_login', 'service_id', 'create_time', 'create_by'], rows: rows.bind(this) };
  }

  private distinct<T>(random: Random, count: number, items: readonly T[]): T[] {
    const chosen = new Set<T>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(pick(random, items));
    return [...chosen];
  }
}
