// Settings of the web console the spec-service serves at /, read once at bootstrap:
//   FJC_CONSOLE_DIR        the built console (index.html, assets/); default: libs/console/dist of this
//                          checkout or image (the same layout in both)
//   FJC_CLUSTER_UI_URLS    name=url,name=url: the public Flink web UI of each cluster, for links only.
// The UI URLs are their own setting, not read from the deployer's FJC_CLUSTERS: those are the
// REST endpoints FJC calls (maybe internal, maybe with credentials in a clusters file), and a
// browser needs the address people reach, which only the operator knows.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

export interface ConsoleConfig {
  /** null: no console was built or installed; / then says so. */
  readonly dir: string | null;
  readonly clusterUiUrls: Readonly<Record<string, string>>;
}

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

export class ConsoleConfigError extends Error {
  readonly code = 'FJC_CONSOLE_CONFIG_INVALID';
}

const UiUrlSchema = z.url({ protocol: /^https?$/ });

export function consoleConfigFromEnv(env: NodeJS.ProcessEnv): ConsoleConfig {
  return { dir: env.FJC_CONSOLE_DIR?.trim() || defaultConsoleDir(), clusterUiUrls: clusterUiUrlsOf(env.FJC_CLUSTER_UI_URLS ?? '') };
}

export function clusterUiUrlsOf(raw: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at).trim();
    const url = entry.slice(at + 1).trim();
    if (at <= 0 || !UiUrlSchema.safeParse(url).success) {
      throw new ConsoleConfigError(`FJC_CLUSTER_UI_URLS: ${JSON.stringify(entry)} is not name=http(s)://host[:port]`);
    }
    urls[name] = url.replace(/\/+$/, '');
  }
  return urls;
}

/** From src/http (tests) and dist/http (built) alike: the workspace root is four levels up. A
 *  path, not an import: the service does not depend on the console's code, only serves its files. */
function defaultConsoleDir(): string | null {
  const dir = resolve(__dirname, '..', '..', '..', '..', 'libs', 'console', 'dist');
  return existsSync(dir) ? dir : null;
}
