export const DIRECTORY = Symbol('DIRECTORY');
