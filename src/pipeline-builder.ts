/** Composing a pipeline from the built-in one: remove, replace and insert transforms by id, with the ids type-checked. */
import { MigrationError } from './errors.ts'
import type { Transform } from './transform-api.ts'

/**
 * An immutable list of transforms; every method returns a new pipeline. `Id` is the union of the ids it holds
 * (known at compile time for transforms made with `defineTransform`), so a misspelt id fails to compile; at run time
 * an unknown id throws a `MigrationError` (`UNKNOWN_TRANSFORM`) and a second transform with the same id `ORDER`.
 * Ordering constraints (`after`) are checked when `migrate` runs it.
 */
export class Pipeline<Id extends string = string> implements Iterable<Transform> {
  private constructor(private readonly list: readonly Transform[]) {}

  /** A pipeline of `transforms`, in this order. */
  static of<T extends Transform>(transforms: Iterable<T>): Pipeline<T['id']> {
    return new Pipeline<T['id']>([]).with([...transforms], 0)
  }

  /** The ids, in order. */
  get ids(): Id[] {
    return this.list.map((t) => t.id as Id)
  }

  /** Without the transforms `ids`. */
  without<X extends Id>(...ids: X[]): Pipeline<Exclude<Id, X>> {
    for (const id of ids) this.indexOf(id)
    return new Pipeline(this.list.filter((t) => !(ids as string[]).includes(t.id)))
  }

  /** With `t` in the place of the transform `id` (give it the same id to keep the `after` constraints naming it). */
  replace<X extends Id, T extends Transform>(id: X, t: T): Pipeline<Exclude<Id, X> | T['id']> {
    const i = this.indexOf(id)
    return new Pipeline([...this.list.slice(0, i), ...this.list.slice(i + 1)]).with([t], i)
  }

  /** With `ts` right before the transform `anchor`. */
  insertBefore<T extends Transform>(anchor: Id, ...ts: T[]): Pipeline<Id | T['id']> {
    return this.with(ts, this.indexOf(anchor))
  }

  /** With `ts` right after the transform `anchor`. */
  insertAfter<T extends Transform>(anchor: Id, ...ts: T[]): Pipeline<Id | T['id']> {
    return this.with(ts, this.indexOf(anchor) + 1)
  }

  /** With `t` right after the last transform it names in `after` (at the end when it names none): the scaffold's rule. */
  add<T extends Transform>(t: T): Pipeline<Id | T['id']> {
    const deps = this.list.map((x, i) => (t.after?.includes(x.id) ? i : -1))
    const missing = (t.after ?? []).filter((a) => !this.list.some((x) => x.id === a))
    if (missing.length > 0) throw new MigrationError('ORDER', `transform ${t.id} runs after ${missing.join(', ')}, which is not in the pipeline`)
    return this.with([t], t.after?.length ? Math.max(...deps) + 1 : this.list.length)
  }

  /** The transforms, in order. */
  toArray(): Transform[] {
    return [...this.list]
  }

  [Symbol.iterator](): Iterator<Transform> {
    return this.list[Symbol.iterator]()
  }

  private indexOf(id: string): number {
    const i = this.list.findIndex((t) => t.id === id)
    if (i < 0) throw new MigrationError('UNKNOWN_TRANSFORM', `unknown transform ${id} (known: ${this.list.map((t) => t.id).join(', ')})`)
    return i
  }

  private with<R extends string>(ts: readonly Transform[], at: number): Pipeline<R> {
    const next = [...this.list.slice(0, at), ...ts, ...this.list.slice(at)]
    const seen = new Set<string>()
    for (const t of next) {
      if (seen.has(t.id)) throw new MigrationError('ORDER', `two transforms share the id ${t.id}`)
      seen.add(t.id)
    }
    return new Pipeline<R>(next)
  }
}

/**
 * Starts a pipeline from a list of transforms, usually `builtinTransforms`:
 * `pipeline(builtinTransforms).without('x').replace('y', myY).insertAfter('z', mine)`. Pass the result to
 * `migrate({ transforms })`.
 */
export function pipeline<T extends Transform>(transforms: Iterable<T>): Pipeline<T['id']> {
  return Pipeline.of(transforms)
}
