/**
 * One rule for every Run button: the controls are disabled while a run is in flight and
 * enabled again however the run ends, even when something inside it throws (issue 10,
 * defect 1: an exception after `setRunning(true)` froze the page for good). No DOM here, so
 * the rule is unit-tested in Node.
 */

/** What a guarded run needs from its view. */
export interface RunGuardHooks {
  /** Disables (true) or re-enables (false) the controls. */
  setRunning(running: boolean): void;
  /** Shows an error that escaped the run, in words the user can act on. */
  showError(message: string): void;
}

/**
 * Runs `body` with the controls disabled; re-enables them in every case. An exception is
 * shown (not rethrown) so a click handler never leaves an unhandled rejection behind.
 * @returns body's value, or undefined when it threw.
 */
export async function guardedRun<T>(hooks: RunGuardHooks, body: () => Promise<T>): Promise<T | undefined> {
  hooks.setRunning(true);
  try {
    return await body();
  } catch (e) {
    hooks.showError(`Run failed before it could start or finish: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    hooks.setRunning(false);
  }
}

/** The Run button's "why not" (no WebGPU, not isolated, measuring the GPU), one rule for every view. */
export class RunGate {
  /** Why Run is disabled (null: it is not). */
  blocked: string | null = null;

  constructor(
    private readonly button: { disabled: boolean; title: string },
    private readonly reason: { textContent: string | null },
  ) {}

  /**
   * Disables Run and says why: beside it, or for a transient block (the FLOP/s measurement, a
   * second or two) in its tooltip, so the layout does not jump when it lifts.
   */
  block(reason: string, transient = false): void {
    this.blocked = reason;
    this.button.disabled = true;
    if (transient) this.button.title = reason;
    else this.reason.textContent = reason;
  }

  /** Lifts the block; `enabled` is whether Run may be pressed now (WebGPU, nothing running). */
  unblock(enabled: boolean): void {
    this.blocked = null;
    this.reason.textContent = '';
    this.button.title = '';
    this.button.disabled = !enabled;
  }
}
