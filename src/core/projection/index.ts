/** The projected clock (DESIGN.md §4): step graphs, their timing, and the training-step builder. */
export * from './graph';
export * from './project';
export * from './training-graph';
