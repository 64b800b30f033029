/** Phase 1: read the source (Job, CronJob, or seed 000's fallback) and build the Job to create. */
import type { V1Job } from '@kubernetes/client-node';
import { appContainerLine, chooseAppContainer } from '../core/app-container.js';
import { paramWarnings } from '../core/params.js';
import { jobFromCronJob, jobFromFallback, jobFromJob, cloneWarnings, cronJobNotice, type CloneOptions } from '../core/clone.js';
import { cronJobPath, jobPath, SourceError } from '../core/errors.js';
import { Input } from '../core/names.js';
import type { RunSettings } from '../core/settings.js';
import type { RunDeps } from './run-deps.js';
import { retryTransient } from './retry-transient.js';

export async function prepareJob(settings: RunSettings, deps: RunDeps): Promise<V1Job> {
  const { cluster, reporter } = deps;
  const { namespace, source } = settings;
  const opts: CloneOptions = { settings, context: deps.context, random: deps.random };
  // The run's first request: a 503 or an API server that is back in seconds must not fail it.
  const retry = { clock: deps.clock, onRetry: (err: Error, delayMs: number) => reporter.info(`${err.message} Retrying in ${delayMs} ms.`) };
  let job: V1Job;
  if (source.kind === 'CronJob') {
    const cron = await retryTransient(() => cluster.readCronJob(namespace, source.name), retry);
    if (!cron) {
      throw new SourceError(
        cronJobPath(namespace, source.name),
        `CronJob ${cronJobPath(namespace, source.name)} was not found. Check input '${Input.cronjob}' and input '${Input.namespace}', and that the identity may get cronjobs there.`,
      );
    }
    const notice = cronJobNotice(cron);
    if (notice) reporter.notice(notice, 'CronJob schedule still active');
    job = jobFromCronJob(cron, opts);
  } else {
    const found = await retryTransient(() => cluster.readJob(namespace, source.name), retry);
    if (found) job = jobFromJob(found, opts);
    else if (settings.fallback) {
      reporter.warning(
        `Source Job ${jobPath(namespace, source.name)} was not found; running the fallback (image ${settings.fallback.image}) instead.`,
        'Source job not found',
      );
      job = jobFromFallback(settings.fallback, opts);
    } else {
      throw new SourceError(
        jobPath(namespace, source.name),
        `Source job not found: ${jobPath(namespace, source.name)} does not exist. Check input '${Input.job}' and input '${Input.namespace}', ` +
          `or set '${Input.fallbackImage}' (with '${Input.fallbackCommand}' / '${Input.fallbackArgs}') to run a reconstructed Job instead.`,
      );
    }
  }
  for (const warning of paramWarnings(settings.params)) reporter.warning(warning, 'Parameter name');
  for (const warning of cloneWarnings(job)) reporter.warning(warning, 'Best practice');
  const app = chooseAppContainer(job.spec?.template, settings.container, jobPath(namespace, job.metadata?.name ?? ''));
  const line = app && appContainerLine(job.spec?.template, app);
  if (line !== undefined && app?.staleAnnotation !== undefined) reporter.warning(line, 'App container');
  else if (line !== undefined) reporter.info(line);
  reporter.info(`Will create ${jobPath(namespace, job.metadata?.name ?? '')} from ${source.kind} ${source.name}.`);
  return job;
}
