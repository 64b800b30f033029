/** What every phase of a run gets: the adapters and the run's identity (one place, so phases never import each other for it). */
import type { Clock, JobCluster, Reporter } from '../core/ports.js';
import type { RunContext } from '../core/settings.js';

export interface RunDeps {
  readonly cluster: JobCluster;
  readonly reporter: Reporter;
  readonly clock: Clock;
  readonly context: RunContext;
  /** Random source for the name suffix, the submission id and back-off jitter. */
  readonly random: () => number;
  readonly monitorUrl: string | undefined;
}
