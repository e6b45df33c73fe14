/** The small MLP: layout, init, CPU reference forward/backward, SGD. */
export * from './layout';
export * from './init';
export * from './reference';
export * from './sgd';
