import { describe, expect, it } from 'vitest';
import type { CoreV1Event } from '@kubernetes/client-node';
import { endFromEvents } from '../../src/core/recovered-end.js';

const event = (uid: string, type: string, reason: string, message: string): CoreV1Event => ({
  metadata: {}, involvedObject: { kind: 'Job', name: 'run', uid }, type, reason, message,
});

describe('endFromEvents', () => {
  it.each([
    ['a Completed event', [event('u1', 'Normal', 'SuccessfulCreate', 'Created pod: run-x'), event('u1', 'Normal', 'Completed', 'Job completed')], { status: 'Success', reason: 'Completed', message: 'Job completed' }],
    ['a failure reason', [event('u1', 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')], { status: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }],
    ['only events of an older Job with the same name', [event('u0', 'Normal', 'Completed', 'Job completed')], undefined],
    ['no terminal event', [event('u1', 'Normal', 'SuccessfulCreate', 'Created pod: run-x'), event('u1', 'Warning', 'FailedCreate', 'quota')], undefined],
  ])('%s', (_, events, expected) => expect(endFromEvents(events, 'u1')).toEqual(expected));
});
