/**
 * Where the descent goes from a point to the child that holds its growth (classes as class ids; `seen`: the
 * program's classes met on the way down, with the point where each was first met):
 * - 'descend': into the child;
 * - 'stay': the child is of the point's own class (a linked list is held by its head, not by its last old node);
 * - a point: the child's class was met further up: a structure whose links alternate between classes is held at
 *   its top, the point given.
 */
export function stepInto<P>(pointClass: number, childClass: number, seen: Map<number, P>): 'descend' | 'stay' | P {
  if (childClass === pointClass) return 'stay';
  return seen.has(childClass) ? seen.get(childClass)! : 'descend';
}
