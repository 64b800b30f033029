/**
 * The task's code needs Node.js 22.19 or later (undici 8, under @kubernetes/client-node 2, uses
 * zlib's zstd at load time; @azure/identity 4.14 declares node >=22). task.json's Node24 handler
 * runs it on Node 24. The Node20_1 handler is still declared, because an agent that cannot or may
 * not use Node 24 (an older agent, or the AGENT_USE_NODE24_WITH_HANDLER_DATA knob off) falls back to
 * it; there the entry stops here with a message that says what to change, instead of crashing while
 * loading the bundle.
 */
import type { TaskLib } from './task-lib.js';

export const MINIMUM_NODE = [22, 19] as const;

/** True when `version` (process.versions.node) can run the task. */
export function nodeSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
}

/** Fails the task unless the agent runs it on a supported Node.js; true when it may go on. */
export function checkNode(tl: Pick<TaskLib, 'setResult' | 'TaskResult'>, version: string): boolean {
  if (nodeSupported(version)) return true;
  tl.setResult(
    tl.TaskResult.Failed,
    `This task needs Node.js ${MINIMUM_NODE.join('.')} or later and runs on the agent's Node24 handler; this agent ran it with Node.js ${version}. ` +
      'Update the agent to a version with the Node24 handler (Microsoft-hosted agents have it), and do not force Node 20 (AGENT_USE_NODE24_WITH_HANDLER_DATA).',
  );
  return false;
}
