import { eliminatePass } from './eliminate.js';
import { foldBatchNormPass } from './fold-batchnorm.js';
import { foldConstantsPass } from './fold-constants.js';
import { foldPadPass } from './fold-pad.js';
import { foldScaleBiasPass } from './fold-scale-bias.js';
import { fuseMatMulAddPass } from './fuse-matmul-add.js';
import { reparamRepVggPass } from './reparam-repvgg.js';
import type { Pass, PassId } from './types.js';

/** Every pass by its id. */
export const PASSES: Readonly<Record<PassId, Pass>> = {
  eliminate: eliminatePass,
  'fold-constants': foldConstantsPass,
  'fold-pad': foldPadPass,
  'fold-batchnorm': foldBatchNormPass,
  'fold-scale-bias': foldScaleBiasPass,
  'fuse-matmul-add': fuseMatMulAddPass,
  'reparam-repvgg': reparamRepVggPass,
};
