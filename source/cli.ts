#!/usr/bin/env node
// Entry point: everything lives in main.ts so the demo launcher and tests can call it too.
// With CAVRA_ROLLBACK_DEBUG set, stack traces are mapped back to source/ through the bundle's
// source maps. Node maps only modules loaded after this call, hence main is imported after it.
if (process.env['CAVRA_ROLLBACK_DEBUG']) process.setSourceMapsEnabled(true);
const {main} = await import('./main.js');

process.exitCode = await main(process.argv.slice(2));
