import { UuidSchema } from '@fjc/contracts';
import { derivedEventId } from './event-ids';

describe('derivedEventId', () => {
  it('is a valid uuid, the same for the same fact and different for another', () => {
    const id = derivedEventId('7d444840-9dc0-11d1-b245-5ffdce74fad2', 'started', 1);
    expect(UuidSchema.safeParse(id).success).toBe(true);
    expect(derivedEventId('7d444840-9dc0-11d1-b245-5ffdce74fad2', 'started', 1)).toBe(id);
    expect(derivedEventId('7d444840-9dc0-11d1-b245-5ffdce74fad2', 'started', 2)).not.toBe(id);
  });
});
