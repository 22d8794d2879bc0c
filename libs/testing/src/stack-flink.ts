// A Flink REST client for the stack's own cluster, with its TLS material when its REST API takes
// only mutual TLS (FLINK_REST_SECURITY=mtls): tests read Flink the way the deployer does.
import { FlinkRestClient, type FlinkClientOptions } from '@fjc/flink-client';
import { stackEnv, stackFlinkTls } from './stack-env';

export function stackFlinkClient(options: FlinkClientOptions = {}): FlinkRestClient {
  return new FlinkRestClient(stackEnv('FLINK_REST_URL'), { tls: stackFlinkTls(), ...options });
}
