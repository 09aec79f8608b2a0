#!/usr/bin/env node
// Entry point: everything lives in main.ts so the demo launcher and tests can call it too.
import {main} from './main.js';

process.exitCode = await main(process.argv.slice(2));
