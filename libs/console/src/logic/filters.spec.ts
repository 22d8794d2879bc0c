import { choicesOf, filterJobs, NO_FILTER, type ListedJob } from './filters';

const job = (jobId: string, namespace: string, cluster: string, state: ListedJob['state']) => ({ jobId, namespace, cluster, state }) as ListedJob;
const jobs = [job('orders', 'team-a', 'default', 'RUNNING'), job('billing', 'team-b', 'analytics', 'FAILED'), job('orders-eu', 'team-a', 'analytics', 'SUSPENDED')];
const ids = (list: ListedJob[]) => list.map((j) => j.jobId);

describe('filterJobs', () => {
  it('keeps every job with no filter', () => {
    expect(ids(filterJobs(jobs, NO_FILTER))).toEqual(['orders', 'billing', 'orders-eu']);
  });

  it('filters by namespace, state and text together', () => {
    expect(ids(filterJobs(jobs, { ...NO_FILTER, namespace: 'team-a' }))).toEqual(['orders', 'orders-eu']);
    expect(ids(filterJobs(jobs, { ...NO_FILTER, state: 'FAILED' }))).toEqual(['billing']);
    expect(ids(filterJobs(jobs, { namespace: 'team-a', state: 'SUSPENDED', text: '' }))).toEqual(['orders-eu']);
  });

  it('matches text in the id, namespace or cluster, ignoring case and spaces around it', () => {
    expect(ids(filterJobs(jobs, { ...NO_FILTER, text: '  ORDERS ' }))).toEqual(['orders', 'orders-eu']);
    expect(ids(filterJobs(jobs, { ...NO_FILTER, text: 'analytics' }))).toEqual(['billing', 'orders-eu']);
    expect(ids(filterJobs(jobs, { ...NO_FILTER, text: 'nothing-like-it' }))).toEqual([]);
  });
});

describe('choicesOf', () => {
  it('lists distinct values, sorted', () => {
    expect(choicesOf(jobs, 'namespace')).toEqual(['team-a', 'team-b']);
    expect(choicesOf(jobs, 'state')).toEqual(['FAILED', 'RUNNING', 'SUSPENDED']);
  });
});
