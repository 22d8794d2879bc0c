// Flink REST over mutual TLS (the stack's FLINK_REST_SECURITY=mtls; infra/flink/secure.sh): the
// JobManager takes only clients with a certificate of the stack's CA, and FJC refuses a cluster
// whose certificate its configured CA does not sign, with FJC_FLINK_TLS_UNTRUSTED naming the
// cluster and a bounded number of calls: never retried (the cluster's breaker also counts it, so
// observation rounds cannot knock every interval either: cluster-breaker.spec.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlinkRestClient, FlinkTlsError } from '@fjc/flink-client';
import { stackEnv, stackFlinkClient, stackFlinkTls, stackKafkaSecurityEnv, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

// A real CA, only not Flink's: the one the stack made for Kafka.
const wrongCaFile = () => stackKafkaSecurityEnv().FJC_KAFKA_SSL_CA_FILE as string;
const stackFile = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through test/secure/run-secure.sh`);
  return value;
};

const tlsRefusal = async (client: FlinkRestClient): Promise<FlinkTlsError> => {
  try {
    await client.flinkVersion();
  } catch (err) {
    return err as FlinkTlsError;
  } finally {
    await client.close();
  }
  throw new Error('Flink answered');
};

describe('Flink REST with mutual TLS', () => {
  it('answers a client with the stack CA and client certificate, over https', async () => {
    expect(stackEnv('FLINK_REST_URL')).toMatch(/^https:\/\//);
    const flink = stackFlinkClient({ cluster: 'default' });
    try {
      expect(await flink.flinkVersion()).toMatch(/^\d+\.\d+/);
    } finally {
      await flink.close();
    }
  });

  it('refuses a client without a certificate, and the client refuses a certificate its CA did not sign: FJC_FLINK_TLS_UNTRUSTED naming the cluster', async () => {
    const { ca, cert, key } = stackFlinkTls();
    const noClientCert = await tlsRefusal(new FlinkRestClient(stackEnv('FLINK_REST_URL'), { cluster: 'no-cert', tls: { ca } }));
    expect(noClientCert).toBeInstanceOf(FlinkTlsError);
    expect(noClientCert.code).toBe('FJC_FLINK_TLS_UNTRUSTED');
    expect(noClientCert.message).toContain('Flink cluster "no-cert"');
    expect(noClientCert.message).toContain('refused the client certificate');

    const wrongCa = await tlsRefusal(new FlinkRestClient(stackEnv('FLINK_REST_URL'), { cluster: 'wrong-ca', tls: { ca: readFileSync(wrongCaFile(), 'utf8'), cert, key } }));
    expect(wrongCa).toBeInstanceOf(FlinkTlsError);
    expect(wrongCa.code).toBe('FJC_FLINK_TLS_UNTRUSTED');
    expect(wrongCa.message).toContain('Flink cluster "wrong-ca"');
    expect(wrongCa.message).toContain('certificate is not trusted');
  });

  describe('a deployer whose cluster file names the wrong CA', () => {
    let fjc: FjcSystem;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'fjc-wrong-ca-'));
      const clusters = join(dir, 'clusters.yaml');
      writeFileSync(
        clusters,
        ['clusters:', '  default:', `    url: ${stackEnv('FLINK_REST_URL')}`, '    tls:', `      ca_file: ${wrongCaFile()}`, `      cert_file: ${stackFile('FLINK_REST_CERT_FILE')}`, `      key_file: ${stackFile('FLINK_REST_KEY_FILE')}`, ''].join('\n'),
      );
      fjc = await FjcSystem.start({ env: { FJC_CLUSTERS_FILE: clusters } });
    });
    afterAll(async () => {
      await fjc?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Calls the deployer made to the cluster (through its breaker: refused ones cost Flink nothing). */
    const flinkCalls = async (): Promise<number> => {
      const text = await (await fetch(`${fjc.service('deployer').url}/metrics`)).text();
      let sum = 0;
      for (const m of text.matchAll(/^fjc_deployer_flink_call_duration_seconds_count\{([^}]*)\} (\d+)$/gm)) if (m[1]?.includes('cluster="default"')) sum += Number(m[2]);
      return sum;
    };

    it('fails the job at once with FJC_FLINK_TLS_UNTRUSTED naming the cluster, and calls Flink a bounded number of times', async () => {
      const jobId = `wrong-ca-${uniqueSuffix()}`;
      expect((await fjc.request('PUT', `/jobs/${jobId}`, exampleSpec('stream-stateless.yaml', jobId))).status).toBe(201);
      const failed = await fjc.waitForState(jobId, (j) => j.state === 'FAILED', 'FAILED', 60_000);
      expect(failed.lastError?.code).toBe('FJC_FLINK_TLS_UNTRUSTED');
      expect(failed.lastError?.message).toContain('Flink cluster "default"');
      expect(failed.lastError?.message).toContain('certificate is not trusted');
      const events = await fjc.events(jobId);
      expect(events.filter((e) => e.type === 'ActionStarted')).toHaveLength(1);
      expect(events.find((e) => e.type === 'ActionFailed')?.payload.error).toMatchObject({ code: 'FJC_FLINK_TLS_UNTRUSTED', retryable: false });

      // Two resync intervals later (FjcSystem resyncs every 5 s): one call to Flink in all, the
      // first of the action; no retry of it, no second attempt, no redeploy.
      await new Promise((r) => setTimeout(r, 11_000));
      expect(await flinkCalls()).toBe(1);
      expect((await fjc.events(jobId)).filter((e) => e.type === 'ActionStarted')).toHaveLength(1);
      expect((await fjc.job(jobId)).state).toBe('FAILED');
    }, 180_000);
  });
});
