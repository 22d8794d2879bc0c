import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateArtifact } from '../artifacts/artifact-location';
import { artifactRootsFromEnv } from './artifact-roots';
import { deployerConfigFromEnv } from './deployer-config';

describe('artifact roots', () => {
  const base = mkdtempSync(join(tmpdir(), 'fjc-roots-'));
  const repo = join(base, 'repo');
  const jars = join(repo, 'jars');
  const stack = join(repo, '.stack');
  mkdirSync(jars, { recursive: true });
  mkdirSync(join(stack, 'secrets'), { recursive: true });
  symlinkSync(repo, join(base, 'link-to-repo'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const refusal = (env: NodeJS.ProcessEnv): string => {
    try {
      artifactRootsFromEnv(env);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('FJC_ARTIFACT_ROOT_UNSAFE');
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('is none when FJC_ARTIFACT_ROOT is unset, not the working directory: local jars are refused', () => {
    expect(artifactRootsFromEnv({})).toEqual([]);
    expect(deployerConfigFromEnv({}).artifactRoots).toEqual([]);
    expect(locateArtifact('infra/x.jar', { roots: [], allowedHosts: [] })).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED', detail: expect.stringContaining('no FJC_ARTIFACT_ROOT') });
    expect(locateArtifact(`file://${process.cwd()}/package.json`, { roots: [], allowedHosts: [] })).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_ALLOWED' });
  });

  it.each([
    ['FJC_STACK_DIR', stack],
    ['FJC_SECRETS_DIR', join(stack, 'secrets')],
    ['FJC_PG_PASSWORD_DIR', join(stack, 'secrets')],
  ])('refuses at start a root that contains %s, naming both', (name, dir) => {
    const text = refusal({ FJC_ARTIFACT_ROOT: `${jars}:${repo}`, [name]: dir });
    expect(text).toMatch(/^FJC_ARTIFACT_ROOT_UNSAFE: /);
    expect(text).toContain(`FJC_ARTIFACT_ROOT ${repo} contains ${name} (${dir})`);
    expect(() => deployerConfigFromEnv({ FJC_ARTIFACT_ROOT: repo, [name]: dir })).toThrow('FJC_ARTIFACT_ROOT_UNSAFE');
  });

  it('refuses the secrets folder itself as a root, and a symlink to a folder that contains it', () => {
    expect(refusal({ FJC_ARTIFACT_ROOT: join(stack, 'secrets'), FJC_SECRETS_DIR: join(stack, 'secrets') })).toContain('contains FJC_SECRETS_DIR');
    expect(refusal({ FJC_ARTIFACT_ROOT: join(base, 'link-to-repo'), FJC_STACK_DIR: stack })).toContain('contains FJC_STACK_DIR');
  });

  it('takes roots beside the secrets', () => {
    expect(artifactRootsFromEnv({ FJC_ARTIFACT_ROOT: ` ${jars} `, FJC_STACK_DIR: stack, FJC_SECRETS_DIR: join(stack, 'secrets') })).toEqual([jars]);
  });
});
