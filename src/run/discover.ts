/**
 * Seed 000 "Job discovery": every Job and CronJob of the namespace, paged (limit 100 plus the
 * continue token) so a namespace with thousands of Jobs never arrives in one response.
 * Runs this action created, and Jobs a CronJob created, are runs rather than sources: left out.
 */
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { Label, MANAGED_BY } from '../core/names.js';
import type { JobCluster, Page } from '../core/ports.js';

export const PAGE_SIZE = 100;

async function allPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.continueToken;
  } while (token);
  return items;
}

export function isSourceJob(job: V1Job): boolean {
  if (job.metadata?.labels?.[Label.managedBy] === MANAGED_BY) return false;
  return !(job.metadata?.ownerReferences ?? []).some((o) => o.kind === 'CronJob');
}

export async function discoverSources(cluster: JobCluster, namespace: string): Promise<{ jobs: V1Job[]; cronJobs: V1CronJob[] }> {
  const jobs = await allPages((t) => cluster.listJobs(namespace, t, PAGE_SIZE));
  const cronJobs = await allPages((t) => cluster.listCronJobs(namespace, t, PAGE_SIZE));
  return { jobs: jobs.filter(isSourceJob), cronJobs };
}
