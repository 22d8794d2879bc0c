// Template streams on the event log: read back through the contracts' decoder, appended by the
// platform's EventWriter with an expected version, and each new version written to
// job_templates in the same transaction. `chain` loads a template version and every version it
// extends, root first, for rendering.
import { Inject, Injectable } from '@nestjs/common';
import { decodeEvent, MAX_TEMPLATE_DEPTH, parseTemplateRef, templateStreamId, type JobTemplate, type SpecError } from '@fjc/contracts';
import { readStream, toEnvelope, type Queryable, type StoredEvent } from '@fjc/event-log';
import { CLOCK, EventWriter, type Clock, type EventCause } from '@fjc/service-runtime';
import { emptyTemplateStream, evolveTemplate, templateVersion, type TemplateStream, type TemplateVersionEntry } from './template-stream';

export type TemplateChain = { readonly ok: true; readonly chain: readonly JobTemplate[] } | { readonly ok: false; readonly errors: SpecError[] };

@Injectable()
export class PgTemplateStore {
  constructor(
    private readonly writer: EventWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(tx: Queryable, name: string): Promise<TemplateStream> {
    const stored = await readStream(tx, templateStreamId(name));
    return stored.map(decodeTemplateEvent).reduce(evolveTemplate, emptyTemplateStream(name));
  }

  async append(tx: Queryable, stream: TemplateStream, entry: TemplateVersionEntry, cause: EventCause): Promise<'appended' | 'conflict'> {
    const expected = stream.streamVersion === 0 ? 'no-stream' : stream.streamVersion;
    const streamId = templateStreamId(stream.name);
    const result = await this.writer.append(tx, streamId, expected, streamId, [{ type: 'TemplateVersionRecorded', payload: entry }], cause);
    if (result.status === 'conflict') return 'conflict';
    // The event's own time, so a rebuild (which has only the log) writes the same row.
    const [event] = await readStream(tx, streamId, result.streamVersion);
    await saveTemplateVersion(tx, entry, cause.actor, event?.occurredAt ?? this.clock.now());
    return 'appended';
  }

  /** NAME@VERSION and its ancestors, root first; `path` names where the reference was written. */
  async chain(tx: Queryable, name: string, version: number, path: string): Promise<TemplateChain> {
    const chain: JobTemplate[] = [];
    let at: { name: string; version: number } | null = { name, version };
    let where = path;
    while (at !== null) {
      if (chain.length >= MAX_TEMPLATE_DEPTH) return notFound(where, `extends more than ${MAX_TEMPLATE_DEPTH} templates deep`);
      const entry = templateVersion(await this.load(tx, at.name), at.version);
      if (entry === null) return notFound(where, `template ${at.name}@${at.version} is not recorded (apply it with \`fjc template apply\`)`);
      chain.unshift(entry.template);
      at = entry.template.extends === undefined ? null : parseTemplateRef(entry.template.extends);
      where = 'extends';
    }
    return { ok: true, chain };
  }
}

function notFound(path: string, message: string): TemplateChain {
  return { ok: false, errors: [{ path, code: 'FJC_TEMPLATE_NOT_FOUND', message }] };
}

export function decodeTemplateEvent(stored: StoredEvent): { type: 'TemplateVersionRecorded'; payload: TemplateVersionEntry } {
  const decoded = decodeEvent(toEnvelope(stored));
  // Only this service writes template streams, through the contract: stop on anything else.
  if (!decoded.ok) throw new Error(`FJC_TEMPLATE_STREAM_UNREADABLE: ${stored.streamId}@${stored.streamVersion}: ${decoded.code}: ${decoded.message}`);
  if (decoded.event.type !== 'TemplateVersionRecorded') throw new Error(`FJC_TEMPLATE_STREAM_UNREADABLE: ${stored.streamId}@${stored.streamVersion} holds ${decoded.event.type}`);
  return { type: 'TemplateVersionRecorded', payload: decoded.event.payload };
}

export async function saveTemplateVersion(tx: Queryable, entry: TemplateVersionEntry, actor: unknown, recordedAt: Date): Promise<void> {
  await tx.query(
    `insert into job_templates (name, version, template_hash, template, actor, recorded_at) values ($1, $2, $3, $4, $5, $6)
     on conflict (name, version) do nothing`,
    [entry.name, entry.version, entry.templateHash, JSON.stringify(entry.template), JSON.stringify(actor), recordedAt],
  );
}
