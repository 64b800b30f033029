// Entry of the Azure DevOps task's execution (task.json execution → dist/main/index.js).
// Importing task-lib moves INPUT_*/ENDPOINT_AUTH_* from process.env into its vault, so it is the
// first thing that reads them; only the entries import it (see task-lib.ts). The rest is loaded
// after the Node.js check, as it cannot even load on Node 20 (node-guard.ts).
import * as tl from 'azure-pipelines-task-lib/task.js';
import { checkNode } from './node-guard.js';

if (checkNode(tl, process.versions.node)) {
  const { mainStep } = await import(/* webpackMode: "eager" */ './main-step.js');
  await mainStep(tl, process.env);
}
