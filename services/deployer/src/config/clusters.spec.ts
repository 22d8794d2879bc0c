import { parseClusters } from './clusters';

describe('parseClusters', () => {
  it('defaults to one cluster named default at FLINK_REST_URL, or the local one', () => {
    expect(parseClusters({})).toEqual({ ok: true, clusters: { default: 'http://127.0.0.1:8081' } });
    expect(parseClusters({ FLINK_REST_URL: 'http://flink:8081' })).toEqual({ ok: true, clusters: { default: 'http://flink:8081' } });
  });

  it('reads name=url pairs from FJC_CLUSTERS, which wins over FLINK_REST_URL', () => {
    expect(parseClusters({ FJC_CLUSTERS: 'default=http://a:8081, analytics=https://b', FLINK_REST_URL: 'http://ignored' })).toEqual({
      ok: true,
      clusters: { default: 'http://a:8081', analytics: 'https://b' },
    });
  });

  it.each([['default'], ['Default=http://a'], ['a=ftp://x'], ['a=http://x,a=http://y']])('refuses %s', (value) => {
    expect(parseClusters({ FJC_CLUSTERS: value })).toMatchObject({ ok: false, message: expect.stringContaining('FJC_CLUSTERS') });
  });
});
