// Entry of the action's main step (action.yml runs.main → dist/main/index.js).
import { mainStep } from './github/main-step.js';

await mainStep();
