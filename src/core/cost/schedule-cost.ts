/**
 * α-β-γ cost of a schedule (Hockney's model with a reduction term, Thakur, Rabenseifner, Gropp
 * 2005): a message of b bytes costs α + b·β on its link, and reducing b received bytes costs
 * b·γ more. The cost comes from the schedule itself, so the closed forms of DESIGN.md §6 are a
 * test oracle, not a second implementation.
 */
import type { AlphaBetaGamma, LinkOf } from '../link/types';
import type { Schedule } from '../schedule/types';

export interface StepCost {
  label: string;
  /** Time of the slowest rank in this step. */
  timeS: number;
  /** The rank that sets the step time (lowest rank on ties). */
  criticalRank: number;
}

export interface ScheduleCost {
  /** Sum of the step times: steps run one after another (bulk synchronous). */
  timeS: number;
  steps: StepCost[];
  bytesSentPerRank: number[];
  messagesPerRank: number[];
}

/**
 * Costs `schedule` step by step. Within a step a rank's messages serialise (one port) but it
 * sends and receives at once (full duplex), so rank r takes
 *   max(Σ_sends (α + bβ), Σ_recvs (α + bβ + [reduce] bγ))
 * and the step takes the max over ranks. Each message is costed on its own link:
 * `linkOf(from, to)` when given, else `link`; γ is read from the same link, so a topology may
 * also model a slower reduction path (e.g. through host staging).
 */
export function scheduleCost(schedule: Schedule, link: AlphaBetaGamma, bytesPerElement = 4, linkOf?: LinkOf<AlphaBetaGamma>): ScheduleCost {
  const linkBetween: LinkOf<AlphaBetaGamma> = linkOf ?? (() => link);
  const bytesSentPerRank = new Array<number>(schedule.ranks).fill(0);
  const messagesPerRank = new Array<number>(schedule.ranks).fill(0);
  const steps: StepCost[] = schedule.steps.map((step) => {
    let timeS = 0;
    let criticalRank = 0;
    step.ops.forEach((ops, r) => {
      let sendS = 0;
      let recvS = 0;
      for (const op of ops) {
        const bytes = op.range.count * bytesPerElement;
        if (op.kind === 'send') {
          const l = linkBetween(r, op.peer);
          sendS += l.alphaS + bytes * l.betaSPerByte;
          bytesSentPerRank[r]! += bytes;
          messagesPerRank[r]! += 1;
        } else {
          const l = linkBetween(op.peer, r);
          recvS += l.alphaS + bytes * l.betaSPerByte + (op.mode === 'reduce' ? bytes * l.gammaSPerByte : 0);
        }
      }
      const rankS = Math.max(sendS, recvS);
      if (rankS > timeS) {
        timeS = rankS;
        criticalRank = r;
      }
    });
    return { label: step.label, timeS, criticalRank };
  });
  return { timeS: steps.reduce((t, s) => t + s.timeS, 0), steps, bytesSentPerRank, messagesPerRank };
}

/** Coefficients of α, β, γ on a schedule's critical path: t ≈ α·latencyTerms + β·betaBytes + γ·gammaBytes. */
export interface CostCoefficients {
  latencyTerms: number;
  betaBytes: number;
  gammaBytes: number;
}

/**
 * The schedule's cost with unit α, unit β and unit γ taken one at a time (each with the other
 * two zero). For the balanced schedules of the table in DESIGN.md §6 the same rank is critical
 * under all three, so t = α·latencyTerms + β·betaBytes + γ·gammaBytes exactly; where segments
 * are uneven the sum is an upper bound within a few elements' worth of β. This is what makes
 * the least-squares fit linear in (α, β, γ).
 */
export function costCoefficients(schedule: Schedule, bytesPerElement = 4): CostCoefficients {
  const at = (alphaS: number, betaSPerByte: number, gammaSPerByte: number): number => scheduleCost(schedule, { alphaS, betaSPerByte, gammaSPerByte }, bytesPerElement).timeS;
  return { latencyTerms: at(1, 0, 0), betaBytes: at(0, 1, 0), gammaBytes: at(0, 0, 1) };
}
