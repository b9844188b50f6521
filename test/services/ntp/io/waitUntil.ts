/** Resolves once `condition()` holds, polling every `stepMs`; rejects after `ms`. */
export function until(condition: () => boolean, ms = 2000, stepMs = 2): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error("condition not met in time"));
      else setTimeout(poll, stepMs);
    };
    poll();
  });
}
