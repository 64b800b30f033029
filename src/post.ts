// Entry of the action's post step (action.yml runs.post → dist/post/index.js).
import { postStep } from './github/post-step.js';

await postStep();
