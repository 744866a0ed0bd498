/** A promise with its resolve and reject at hand (Node 20 has no Promise.withResolvers), never rejected unhandled. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void, reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // awaited by whoever takes it; a failure must not go unhandled meanwhile
  return { promise, resolve, reject };
}
