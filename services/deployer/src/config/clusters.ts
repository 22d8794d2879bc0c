// The Flink session clusters this deployer may act on, by name. FJC_CLUSTERS lists them as
// "name=url,name=url"; without it there is one cluster, "default", at FLINK_REST_URL.
export type ClusterUrls = Readonly<Record<string, string>>;

export type ClusterParse = { readonly ok: true; readonly clusters: ClusterUrls } | { readonly ok: false; readonly message: string };

const DEFAULT_FLINK_REST_URL = 'http://127.0.0.1:8081';
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseClusters(env: Readonly<Record<string, string | undefined>>): ClusterParse {
  const raw = env.FJC_CLUSTERS?.trim();
  if (raw === undefined || raw === '') return { ok: true, clusters: { default: env.FLINK_REST_URL ?? DEFAULT_FLINK_REST_URL } };
  const clusters: Record<string, string> = {};
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = at < 0 ? '' : entry.slice(0, at).trim();
    const url = at < 0 ? '' : entry.slice(at + 1).trim();
    if (!NAME.test(name)) return { ok: false, message: `FJC_CLUSTERS: "${entry}" must be name=url with a name like "default"` };
    if (!/^https?:\/\/[^/]+/.test(url)) return { ok: false, message: `FJC_CLUSTERS: cluster "${name}" needs an http(s) URL, got "${url}"` };
    if (name in clusters) return { ok: false, message: `FJC_CLUSTERS: cluster "${name}" is listed twice` };
    clusters[name] = url;
  }
  return { ok: true, clusters };
}
