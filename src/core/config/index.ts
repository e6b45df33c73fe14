/** Typed URL / command-line state (STYLE.md 3): tables, codecs, help. */
export * from './fields';
export { formatValue, parseValue, sameValue } from './values';
export { parseUrl, serializeUrl, describeField } from './url';
export { parseArgv, formatHelp } from './argv';
export * from './bench-fields';
export * from './train-fields';
export * from './compare';
export * from './page-fields';
