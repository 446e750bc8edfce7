/**
 * Retries an assertion until it passes or the time is up, then rethrows its last
 * failure. For outcomes that arrive asynchronously (Kafka, timers); never a
 * timing assertion: the timeout is only how long we are willing to wait.
 */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
