import { hashPassword } from '../../src/passwords';
import { PasswordHasher } from '../../src/passwords/hash-pool';
import { toStandardBcrypt } from '../../src/passwords/otobo-bcrypt';

/** The median gap between the ticks of a 10 ms interval while `work` runs: how responsive the event loop stayed. */
async function medianTickGap(work: () => Promise<unknown>): Promise<number> {
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(performance.now()), 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const gaps = ticks.slice(1).map((tick, i) => tick - ticks[i]!).sort((a, b) => a - b);
  return gaps.length === 0 ? Infinity : gaps[Math.floor(gaps.length / 2)]!;
}

describe('PasswordHasher (worker threads)', () => {
  let hasher: PasswordHasher;
  beforeEach(() => {
    hasher = new PasswordHasher({ threads: 2, queue: 50 });
  });
  afterEach(() => hasher.close());

  test('hashes in OTOBO format and verifies bcrypt, MD5-crypt, apr1, DES crypt and SHA-2 on the workers', async () => {
    const stored = await hasher.hash('Geheim123', 4);
    expect(stored).toMatch(/^BCRYPT:4:[0-9A-Za-z]{16}:[./A-Za-z0-9]{31}$/);
    expect(toStandardBcrypt(stored)).not.toBeNull();
    await expect(hasher.verify('Geheim123', stored)).resolves.toBe(true);
    await expect(hasher.verify('Geheim124', stored)).resolves.toBe(false);
    // Vectors from openssl passwd / perl crypt (see passwords.test.ts).
    await expect(hasher.verify('password', '$1$xxxxxxxx$UYCIxa628.9qXjpQCjM4a.')).resolves.toBe(true);
    await expect(hasher.verify('password', '$apr1$xxxxxxxx$dxHfLAsjHkDRmG83UXe8K0')).resolves.toBe(true);
    await expect(hasher.verify('password', 'xxj31ZMTZzkVA')).resolves.toBe(true);
    await expect(hasher.verify('some_pass', '17c1b8cba6fed372f40eed959c46e265ef8ec2e984b6dca935f8e38aa42c025f')).resolves.toBe(true);
    await expect(hasher.verify('', stored)).resolves.toBe(false);
    await expect(hasher.verify('Geheim123', null)).resolves.toBe(false);
    expect(hasher.completed).toBe(7);
  });

  test('refuses bad input before queueing it, with the RangeErrors of hashPassword', async () => {
    await expect(hasher.hash('a'.repeat(73), 4)).rejects.toThrow(RangeError);
    await expect(hasher.hash('some_pass', 3)).rejects.toThrow(RangeError);
    expect(hasher.completed).toBe(0);
  });

  test('the event loop stays responsive while bcrypt cost 12 hashes run', async () => {
    const gap = await medianTickGap(() => Promise.all([1, 2, 3].map(() => hasher.hash('Geheim123', 12))));
    // On the event loop (control test below) bcryptjs blocks in 100 ms slices.
    expect(gap).toBeLessThan(50);
  });

  test('control: the same hashes on the event loop stall the interval, so the measurement can fail', async () => {
    const gap = await medianTickGap(() => Promise.all([1, 2].map(() => hashPassword('Geheim123', 12))));
    expect(gap).toBeGreaterThanOrEqual(50);
  });

  test('a full queue refuses further hashes with BUSY (HTTP 503) and finishes the accepted ones', async () => {
    const small = new PasswordHasher({ threads: 1, queue: 1 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => small.hash('Geheim123', 8)));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
      const hashed = results.filter((r) => r.status === 'fulfilled');
      expect(refused.length).toBeGreaterThan(0);
      expect(hashed.length).toBeGreaterThanOrEqual(2); // one running, one queued
      for (const error of refused) {
        expect(error.extensions).toMatchObject({ code: 'BUSY', http: { status: 503 } });
      }
    } finally {
      await small.close();
    }
  });

  test('close lets a running hash finish, then refuses new work', async () => {
    const running = hasher.hash('Geheim123', 8);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await hasher.close();
    await expect(running).resolves.toMatch(/^BCRYPT:8:/);
    await expect(hasher.hash('Geheim123', 4)).rejects.toThrow(/closed/);
  });
});
