// Builds the console into dist/: one hashed script and stylesheet under assets/, no CDN, no
// inline code, so the spec-service can serve it under a self-only Content-Security-Policy.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  // JSX compiled for Preact (the automatic runtime), by Vite's own transformer.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: {
      // The contracts from source, as the services' tests read them; their one Node import
      // (node:crypto, for spec hashes) is never called in the browser.
      '@fjc/contracts': here('../contracts/src/index.ts'),
      'node:crypto': here('src/api/no-node-crypto.ts'),
    },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // No module-preload polyfill: it is inline code a strict CSP would refuse, and every
    // browser the console supports preloads modules itself.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
