/**
 * This tab's transport floor (src/core/floor.ts) beside the link controls: what a readback
 * round trip and the host-staged path cost here, the emulation floor, and a warning when the
 * chosen link is below it (the run would then measure this browser, not the link).
 */
import { emulationWarnings, floorSummary, type TransportFloor } from '../core/floor';
import type { AlphaBeta } from '../core/link';
import { el } from './dom';

export class FloorPanel {
  readonly root = el('div', { class: 'floor-info', 'data-testid': 'floor' });
  private floor: TransportFloor | undefined;

  constructor() {
    this.render([]);
  }

  /** Records the floor measured by a run (cached for the session). */
  setFloor(floor: TransportFloor | undefined): void {
    this.floor = floor;
  }

  /** Re-renders for the links the current configuration would emulate (empty: none). */
  render(links: AlphaBeta[]): void {
    const f = this.floor;
    if (!f) {
      this.root.replaceChildren(
        el('div', { class: 'hint' }, "This tab's floor (readback round trip, host-staged ceiling, emulation floor) is measured at the start of the first run."),
      );
      return;
    }
    const warnings = emulationWarnings(f, links);
    this.root.replaceChildren(
      el(
        'div',
        {},
        el('strong', {}, "This tab's floor "),
        `(measured at the start of the last run${f.contended ? ` at ${f.contended.ranks} ranks` : ''}; cached for the session per rank count):`,
      ),
      ...floorSummary(f).map((line) => el('div', { class: 'source' }, line)),
      ...warnings.map((w) => el('div', { class: 'error', 'data-testid': 'below-floor' }, `This link is ${w}.`)),
    );
  }
}
