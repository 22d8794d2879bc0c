import { eventually } from './eventually';
import { uniqueSuffix } from './stack-env';

describe('eventually', () => {
  it('returns the first value the condition accepts', async () => {
    let n = 0;
    await expect(eventually('n to reach 3', async () => ++n, (v) => v >= 3, { intervalMs: 1 })).resolves.toBe(3);
  });

  it('fails after its deadline with what it waited for and the last value', async () => {
    await expect(eventually('never', async () => 'still no', () => false, { timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      /timed out waiting for never; last value "still no"/,
    );
  });
});

describe('uniqueSuffix', () => {
  it('gives names Kafka and PostgreSQL accept, different every time', () => {
    const names = new Set(Array.from({ length: 200 }, () => uniqueSuffix()));
    expect(names.size).toBe(200);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+$/);
  });
});
