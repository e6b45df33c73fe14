/**
 * The GPU probe as the page sees it (DESIGN.md §2: ui reaches the GPU only through cluster).
 */
export { probeGpu } from '../rank/probe';
