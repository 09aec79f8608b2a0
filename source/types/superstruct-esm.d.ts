// The ESM build of superstruct ships no .d.mts of its own; its types are the package's.
declare module 'superstruct/dist/index.mjs' {
	export * from 'superstruct';
}
