// Entry of the discovery action (discover/action.yml → dist/discover/index.js).
import { discoverStep } from './github/discover-step.js';

await discoverStep();
