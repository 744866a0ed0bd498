/** Share of an object's growth a single child must hold for the descent to go down into it. */
export const DESCEND_SHARE = 0.8;

/** Whether a child that grew by `child` holds the growth of its parent, which grew by `parent`. */
export function holdsTheGrowth(child: number, parent: number): boolean {
  return child >= DESCEND_SHARE * parent;
}
