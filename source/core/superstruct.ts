/**
 * superstruct, from its ESM build. The package has no "exports" map, so a bare import makes Node
 * load the CommonJS build through its ESM-to-CJS bridge, which costs a noticeable share of a cold
 * start (`lint`, `readiness`). Every module imports superstruct from here, so all structs and
 * StructError come from one copy (instanceof holds).
 */
export * from 'superstruct/dist/index.mjs';
