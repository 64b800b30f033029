/** The real clock for entry files; tests inject their own. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './core/ports.js';

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await sleep(ms, undefined, { signal });
  },
};
