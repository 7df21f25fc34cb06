/**
 * Promise.all for starting services side by side, except that a failure waits for the other starts to end
 * before it rejects. Each start registers its own stop once it is up, so the caller's clean-up then stops
 * everything that did start, instead of exiting with a server still running behind it.
 */
export async function allStarted<T extends readonly unknown[] | []>(starts: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled: Array<PromiseSettledResult<unknown>> = await Promise.allSettled(starts as readonly unknown[]);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return Promise.all(starts);
}
