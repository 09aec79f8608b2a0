/** The dashboard's pure core: state, reducer, panels, verdict, snapshot and view. No fs, net or ink. */
export * from './state.js';
export * from './probe.js';
export * from './answers.js';
export * from './format.js';
export * from './reducer.js';
export * from './panels.js';
export * from './verdict.js';
export * from './snapshot.js';
export * from './view.js';
export * from './display.js';
export * from './store.js';
