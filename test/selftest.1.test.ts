import { selfTest } from './selftest.ts';

selfTest(1, 2);
