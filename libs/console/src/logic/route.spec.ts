import { hrefOf, parseRoute, type Route } from './route';

describe('parseRoute', () => {
  it.each<[string, Route]>([
    ['', { page: 'jobs' }],
    ['#/jobs', { page: 'jobs' }],
    ['#/jobs/orders-1', { page: 'job', jobId: 'orders-1' }],
    ['#/apply', { page: 'apply', jobId: null }],
    ['#/apply/orders-1', { page: 'apply', jobId: 'orders-1' }],
    ['#/jobs/Not_A_Job', { page: 'jobs' }],
    ['#/jobs/a/b', { page: 'jobs' }],
    ['#/elsewhere', { page: 'jobs' }],
  ])('%j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads back every href it makes', () => {
    const routes: Route[] = [{ page: 'jobs' }, { page: 'job', jobId: 'x-1' }, { page: 'apply', jobId: null }, { page: 'apply', jobId: 'x-1' }];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
  });
});
