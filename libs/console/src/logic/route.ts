// The console's pages, addressed by the URL fragment (#/jobs, #/jobs/<id>, #/apply[/<id>]) so
// the spec-service serves one file at / and links, reloads and the back button just work. Pure.
export type Route =
  | { readonly page: 'jobs' }
  | { readonly page: 'job'; readonly jobId: string }
  | { readonly page: 'apply'; readonly jobId: string | null };

const JOB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'jobs' && parts.length === 2 && JOB_ID.test(parts[1])) return { page: 'job', jobId: parts[1] };
  if (parts[0] === 'apply' && parts.length === 1) return { page: 'apply', jobId: null };
  if (parts[0] === 'apply' && parts.length === 2 && JOB_ID.test(parts[1])) return { page: 'apply', jobId: parts[1] };
  return { page: 'jobs' };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'jobs':
      return '#/jobs';
    case 'job':
      return `#/jobs/${encodeURIComponent(route.jobId)}`;
    case 'apply':
      return route.jobId === null ? '#/apply' : `#/apply/${encodeURIComponent(route.jobId)}`;
  }
}
