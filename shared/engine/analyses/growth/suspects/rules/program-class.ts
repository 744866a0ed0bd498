/** Classes of the language and the runtime that say little about who owns a container. */
const GENERIC = new RegExp(
  `^(${[
    ...['Object', 'Array', 'Map', 'Set', 'WeakMap', 'WeakSet', 'global', 'Window.*', 'Generator', 'AsyncGenerator'],
    ...['Promise', 'Module.*', 'BuiltinModule', 'LoadCache', 'system / .*', '\\(.*\\)', '\\{.*\\}', ''],
  ].join('|')})$`,
);

/**
 * Whether a class is the program's own (`WorkQueue`, `EventEmitter`), rather than one every program has. A suspect
 * is said to be held by the nearest such object up its path; the descent remembers such classes on the way down.
 */
export function isProgramClass(name: string): boolean {
  return !GENERIC.test(name);
}
