/**
 * Why a command that ran in the cluster through runCommand failed, read from its output (pure).
 * runCommand reports only an exit code and text, so Kubernetes' own refusals arrive as kubectl's
 * stderr: `Error from server (Forbidden): jobs.batch "x" is forbidden: User "<oid>" cannot create
 * resource "jobs" in API group "batch" in the namespace "etl"` (kubectl's format; the AKS
 * troubleshooting article lists it as a runCommand failure cause).
 */

export interface CommandFailureExplanation {
  readonly kind: 'forbidden' | 'unauthorized' | 'other';
  /** What to do, for the step's error message. */
  readonly advice: string;
}

const FORBIDDEN = /Error from server \(Forbidden\):.*?User "([^"]*)" cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

/** Reads kubectl's output for the refusals a user can fix; `other` when nothing is recognised. */
export function explainCommandFailure(logs: string): CommandFailureExplanation {
  const m = FORBIDDEN.exec(logs);
  if (m) {
    const [, user = '', verb = '', resource = '', group = '', namespace] = m;
    const what = group === '' ? resource : `${resource}.${group}`;
    const where = namespace === undefined ? 'cluster-wide' : `in namespace '${namespace}'`;
    return {
      kind: 'forbidden',
      advice: `Kubernetes RBAC refused identity '${user}' to ${verb} ${what} ${where}. runCommand runs kubectl as the action's own identity, ` +
        `so grant it the verbs it needs on Jobs, CronJobs, Pods, pods/log and Events ${where} (the README lists the minimal Role), ` +
        `or use Azure RBAC for Kubernetes ("Azure Kubernetes Service RBAC Writer" on the namespace).`,
    };
  }
  if (/error: You must be logged in to the server \(Unauthorized\)|Error from server \(Unauthorized\)/.test(logs)) {
    return {
      kind: 'unauthorized',
      advice: 'The API server refused the identity\'s token inside runCommand (Unauthorized). Check that the cluster\'s Entra integration accepts the action\'s identity (tenant, AKS server app).',
    };
  }
  return { kind: 'other', advice: 'See the command\'s output above.' };
}
