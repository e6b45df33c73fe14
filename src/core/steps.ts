/**
 * Long pure computations written as steps: a generator that yields between pieces of work and
 * returns its result. Core code stays synchronous (`runToEnd`); the page runs the same steps in
 * short tasks (ui/dom.ts `runSliced`) so the main thread never blocks for long (issue 8).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` to completion in one go and returns the result. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** `xs.map(f)` as steps: one yield per element. */
export function* mapSteps<T, U>(xs: readonly T[], f: (x: T) => U): Steps<U[]> {
  const out: U[] = [];
  for (const x of xs) {
    out.push(f(x));
    yield;
  }
  return out;
}
