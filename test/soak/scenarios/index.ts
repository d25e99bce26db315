import type { Scenario } from '../lib/scenario';
import { cliArgs } from './cliArgs';
import { corrupt } from './corrupt';
import { crash } from './crash';
import { diskErrors } from './diskErrors';
import { embeddingFaultsScenario } from './embeddingFaults';
import { hostileCapture } from './hostileCapture';
import { hostileSearch } from './hostileSearch';
import { twoWritersScenario } from './twoWriters';

/** In the order they run. */
export const SCENARIOS: Scenario[] = [
  twoWritersScenario,
  crash,
  corrupt,
  diskErrors,
  embeddingFaultsScenario,
  hostileSearch,
  hostileCapture,
  cliArgs,
];
