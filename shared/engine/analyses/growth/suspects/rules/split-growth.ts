/** Share of an object's growth its children that grow enough must hold between them to be suspects of their own. */
export const SPLIT_SHARE = 0.5;

/**
 * Whether the growth of a point (`parent` bytes) is two leaks or more: two or more children each grew by at least
 * the threshold (`significant`, their growths), and together they hold at least half of it.
 */
export function splitsTheGrowth(significant: number[], parent: number): boolean {
  return significant.length >= 2 && significant.reduce((sum, g) => sum + g, 0) >= SPLIT_SHARE * parent;
}
