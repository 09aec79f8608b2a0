/**
 * One answer to "what blocks a rollback", for every place that says it (the dashboard's legend and
 * verdict details, `rollback --help`, the docs). What the code does: preflight stops the run,
 * before anything changes, only when the config is unusable, an env file cannot be read, a fleet
 * host cannot be reached, the config names nothing to roll back, or another run holds the evidence
 * folder. Readiness is never consulted to decide: a plan that is missing, invalid or unapproved, a
 * failing CAVRA check or an unreachable API is shown and recorded, and the rollback goes ahead
 * (it is the safety net). So the dashboard's ✖ means "keeps CAVRA from READY", never "blocks a
 * rollback".
 */

/** What a ✖ means on the dashboard (legend). */
export const NOT_READY_WORDS = 'not ready (never blocks a rollback)';

/** The verdict's details when nothing keeps it from READY. */
export const NOTHING_KEEPS_FROM_READY = 'nothing keeps CAVRA from ready';

/** The title over the verdict's ✖ lines. */
export const NOT_READY_TITLE = 'What keeps CAVRA from ready';

/** One sentence: a rollback goes ahead whatever readiness says. */
export const ROLLBACK_NEVER_BLOCKED =
	'Nothing readiness reports blocks a rollback: a missing, invalid or unapproved plan, a failing CAVRA check or an unreachable API is shown loudly and recorded, and the rollback goes ahead.';

/** One sentence: what does stop it, at preflight, before anything changes. */
export const ROLLBACK_STOPPED_BY =
	'Only these stop it, before anything changes: an unusable config, an env file that cannot be read, an unreachable fleet host, nothing to roll back, or another rollback holding the evidence folder.';
