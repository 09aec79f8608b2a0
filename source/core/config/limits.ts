/**
 * The config's numeric ceilings, apart from the schema so a command can check a flag against them
 * without loading the validator (the dashboard's first frame does not wait for superstruct).
 */

/** The longest delay a Node timer holds; above it setTimeout fires after 1 ms (every restart would "time out"). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
export const MAX_REQUEST_TIMEOUT_MS = 10 * 60 * 1000;
export const MAX_RESTART_TIMEOUT_MS = 60 * 60 * 1000;
