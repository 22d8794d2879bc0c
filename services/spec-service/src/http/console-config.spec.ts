import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clusterUiUrlsOf, consoleConfigFromEnv } from './console-config';

describe('clusterUiUrlsOf (FJC_CLUSTER_UI_URLS)', () => {
  it('reads name=url pairs, without trailing slashes', () => {
    expect(clusterUiUrlsOf(' default=https://flink.example.com/ , analytics=http://10.0.0.5:8081')).toEqual({
      default: 'https://flink.example.com',
      analytics: 'http://10.0.0.5:8081',
    });
    expect(clusterUiUrlsOf('')).toEqual({});
  });

  it.each(['default', '=http://x', 'default=ftp://x', 'default=javascript:alert(1)', 'default=not a url'])('refuses %j with FJC_CONSOLE_CONFIG_INVALID', (raw) => {
    expect(() => clusterUiUrlsOf(raw)).toThrow(expect.objectContaining({ code: 'FJC_CONSOLE_CONFIG_INVALID', message: expect.stringContaining('FJC_CLUSTER_UI_URLS') }));
  });
});

describe('consoleConfigFromEnv', () => {
  it('takes FJC_CONSOLE_DIR when set, else the built console of the workspace (null before a build)', () => {
    expect(consoleConfigFromEnv({ FJC_CONSOLE_DIR: '/srv/console' }).dir).toBe('/srv/console');
    const built = join(__dirname, '..', '..', '..', '..', 'libs', 'console', 'dist');
    expect(consoleConfigFromEnv({}).dir).toBe(existsSync(built) ? built : null);
  });
});
