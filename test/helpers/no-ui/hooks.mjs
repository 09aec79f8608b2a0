// Resolve hook: report (on stderr) any resolution of ink, react or an ink-* package.
export async function resolve(specifier, context, next) {
	// Bare entries that cost a cold start dearly (see io/config.ts, core/superstruct.ts, core/json/document.ts).
	if (/^(yaml|superstruct|jsonc-parser)$/.test(specifier)) process.stderr.write(`LOADED-SLOW-ENTRY ${specifier}\n`);
	if (/^(ink|react|react-dom|ink-[a-z-]+|@inkjs\/[a-z-]+)(\/|$)/.test(specifier)) process.stderr.write(`LOADED-UI-MODULE ${specifier}\n`);
	return next(specifier, context);
}
