import { selfTest } from './selftest.ts';

selfTest(2, 2);
