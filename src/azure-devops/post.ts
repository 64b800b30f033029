// Entry of the Azure DevOps task's post-job execution (task.json postjobexecution → dist/post/index.js).
import * as tl from 'azure-pipelines-task-lib/task.js';
import { checkNode } from './node-guard.js';

if (checkNode(tl, process.versions.node)) {
  const { postStep } = await import(/* webpackMode: "eager" */ './post-step.js');
  await postStep(tl, process.env);
}
