/**
 * An rxjs operator that runs an async projection on up to `concurrency` values at once and emits
 * the results in input order. It keeps both cores busy through sharp's thread pool while the
 * device still sees frames strictly in capture order.
 */
import { Observable, type OperatorFunction, from, map, mergeMap } from 'rxjs';
import { assertArgument } from '../errors/index.js';

/** `mergeMap` with bounded concurrency whose output order equals the input order. */
export function mapInOrder<T, R>(project: (value: T, index: number) => Promise<R>, concurrency: number): OperatorFunction<T, R> {
  assertArgument(Number.isInteger(concurrency) && concurrency >= 1, 'concurrency', 'a positive integer', concurrency);
  return (source) =>
    new Observable<R>((subscriber) => {
      const done = new Map<number, R>();
      let nextIndex = 0;
      return source
        .pipe(mergeMap((value, index) => from(project(value, index)).pipe(map((result) => [index, result] as const)), concurrency))
        .subscribe({
          next: ([index, result]) => {
            done.set(index, result);
            while (done.has(nextIndex)) {
              const ready = done.get(nextIndex) as R;
              done.delete(nextIndex);
              nextIndex += 1;
              subscriber.next(ready);
            }
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
    });
}
