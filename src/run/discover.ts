/**
 * Seed 000 "Job discovery": every Job and CronJob of the namespace, paged (limit 100 plus the
 * continue token) so a namespace with thousands of Jobs never arrives in one response.
 * Runs this action created, and Jobs a CronJob created, are runs rather than sources: left out.
 */
import type { V1CronJob, V1Job, V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import { Label, MANAGED_BY } from '../core/names.js';
import type { JobCluster, Page } from '../core/ports.js';

export const PAGE_SIZE = 100;

/** Every page's items, each kept only in the form `keep` makes of it. */
async function allPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, keep: (item: T) => T): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    for (const item of page.items) items.push(keep(item));
    token = page.continueToken;
  } while (token);
  return items;
}

/**
 * What discovery reads of an object: its identity, labels, annotations and owners, its suspend
 * flag and schedule, and of its pod template the annotations and each container's name and env
 * (core/app-container.ts, core/discovery.ts). The rest (status, managedFields, the pod spec's
 * other fields) is dropped as each page arrives, so 5 000 Jobs do not stay in memory whole
 * (bench discovery, issue #13).
 */
function slimTemplate(template: V1PodTemplateSpec | undefined): V1PodTemplateSpec | undefined {
  const spec = template?.spec;
  if (!spec) return template && { metadata: { annotations: template.metadata?.annotations } };
  return {
    metadata: { annotations: template.metadata?.annotations },
    spec: {
      containers: spec.containers.map((c) => ({ name: c.name, env: c.env })),
      initContainers: spec.initContainers?.map((c) => ({ name: c.name, restartPolicy: c.restartPolicy })),
    },
  };
}

function slimMetadata(m: V1ObjectMeta | undefined): V1ObjectMeta {
  return { name: m?.name, namespace: m?.namespace, labels: m?.labels, annotations: m?.annotations, ownerReferences: m?.ownerReferences };
}

function slimJob(job: V1Job): V1Job {
  const spec = job.spec;
  return { metadata: slimMetadata(job.metadata), spec: spec && { suspend: spec.suspend, template: slimTemplate(spec.template) ?? {} } };
}

function slimCronJob(cronJob: V1CronJob): V1CronJob {
  const spec = cronJob.spec;
  const jobSpec = spec?.jobTemplate.spec;
  return {
    metadata: slimMetadata(cronJob.metadata),
    spec: spec && { schedule: spec.schedule, suspend: spec.suspend, jobTemplate: { spec: jobSpec && { template: slimTemplate(jobSpec.template) ?? {} } } },
  };
}

export function isSourceJob(job: V1Job): boolean {
  if (job.metadata?.labels?.[Label.managedBy] === MANAGED_BY) return false;
  return !(job.metadata?.ownerReferences ?? []).some((o) => o.kind === 'CronJob');
}

export async function discoverSources(cluster: JobCluster, namespace: string): Promise<{ jobs: V1Job[]; cronJobs: V1CronJob[] }> {
  const jobs = await allPages((t) => cluster.listJobs(namespace, t, PAGE_SIZE), slimJob);
  const cronJobs = await allPages((t) => cluster.listCronJobs(namespace, t, PAGE_SIZE), slimCronJob);
  return { jobs: jobs.filter(isSourceJob), cronJobs };
}
