/** α-β-γ cost model: per-schedule costing and the closed forms of DESIGN.md §6. */
export { scheduleCost, costCoefficients } from './schedule-cost';
export { closedFormCost } from './closed-form';
