// Which files `fjc validate` and `fjc apply` read: files named on the command line as they are,
// and every .yaml, .yml or .json file under a directory named there, in a stable order.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SPEC_FILE_PATTERN = /\.(ya?ml|json)$/i;

export type SpecFileList = { readonly files: string[]; readonly problems: { readonly path: string; readonly message: string }[] };

export function findSpecFiles(paths: readonly string[]): SpecFileList {
  const files: string[] = [];
  const problems: { path: string; message: string }[] = [];
  for (const path of paths) {
    const kind = kindOf(path);
    if (kind === 'missing') problems.push({ path, message: 'no such file or directory' });
    else if (kind === 'file') files.push(path);
    else {
      const found = specFilesUnder(path);
      if (found.length === 0) problems.push({ path, message: 'has no .yaml, .yml or .json files' });
      files.push(...found);
    }
  }
  return { files, problems };
}

function kindOf(path: string): 'file' | 'directory' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

function specFilesUnder(directory: string): string[] {
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : specFilesUnder(path);
    return entry.isFile() && SPEC_FILE_PATTERN.test(entry.name) ? [path] : [];
  });
}

export function readSpecText(file: string): { ok: true; value: string } | { ok: false; message: string } {
  try {
    return { ok: true, value: readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(err)})` };
  }
}
