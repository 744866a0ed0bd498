// Leaks: the classic closure chain. Each replaceThing() makes an object whose method shares a closure context with
// a function that mentions the previous object, so every object ever made stays reachable from the current one.
let theThing = null;
globalThis.__holder = {
  get thing() {
    return theThing;
  },
};
function replaceThing() {
  const originalThing = theThing;
  const unused = function () {
    if (originalThing) return 'hi';
  };
  theThing = {
    longStr: new Array(200).join('*') + Math.random(),
    someMethod() {
      return 1;
    },
  };
}
export const expected = { path: /theThing|originalThing|\(context\)/, classes: ['{longStr, someMethod}'] };
export function setup() {
  return {};
}
export async function step() {
  for (let i = 0; i < 4000; i++) replaceThing();
}
