import { topicNames } from './topics';

describe('topicNames', () => {
  it('names every public topic with the default prefix', () => {
    expect(Object.values(topicNames()).sort()).toEqual(
      [
        'fjc.deploy.actions',
        'fjc.deploy.results',
        'fjc.dlq',
        'fjc.job.lifecycle',
        'fjc.job.observations',
        'fjc.pipeline.events',
        'fjc.schedule.ticks',
        'fjc.spec.command-results',
        'fjc.spec.commands',
        'fjc.spec.events',
      ].sort(),
    );
  });

  it('applies a custom prefix', () => {
    expect(topicNames('acme.fjc.').specEvents).toBe('acme.fjc.spec.events');
  });

  it('rejects a prefix Kafka would not accept', () => {
    expect(() => topicNames('bad prefix/')).toThrow(/topic prefix/);
  });
});
