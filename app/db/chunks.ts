/** Splits a list into groups of at most `size` items, for statements that must stay below D1's 100 bound parameters. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}
