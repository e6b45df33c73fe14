/** A rank's worker: a thin comlink shell around Rank (STYLE.md 9). */
import { expose } from 'comlink';
import { Rank } from './rank';

expose(new Rank());
