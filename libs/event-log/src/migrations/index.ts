// Every migration of the shared FJC database, in order. Services add theirs to this list
// through their own libs; the event log's come first.
import { CreateEventLog1764000000000 } from './1764000000000-create-event-log';
import { ServiceRoles1768000000000 } from './1768000000000-service-roles';
import { ClusterOverview1770200000000 } from './1770200000000-cluster-overview';
import { EventLogArchive1772300000000 } from './1772300000000-event-log-archive';
import { AppendFunction1772400000000 } from './1772400000000-append-function';
import { LogWake1772400000001 } from './1772400000001-log-wake';
import { AppendIndexedResendCheck1772500000000 } from './1772500000000-append-indexed-resend-check';
import { AppendPlannedResendCheck1772600000000 } from './1772600000000-append-planned-resend-check';

export const EVENT_LOG_MIGRATIONS = [CreateEventLog1764000000000, ServiceRoles1768000000000, ClusterOverview1770200000000, EventLogArchive1772300000000, AppendFunction1772400000000, LogWake1772400000001, AppendIndexedResendCheck1772500000000, AppendPlannedResendCheck1772600000000];
export { APP_ROLE } from './1764000000000-create-event-log';
